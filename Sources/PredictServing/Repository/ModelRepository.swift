import Foundation
import PredictRuntime

/// The model repository: a directory laid out `REPO/<model>/<version>/model.onnx` with an
/// optional `REPO/<model>/config.yaml` (docs/REPOSITORY.md).
public enum ModelRepository {
    /// The one configuration file a model directory may hold.
    static let configurationFile = "config.yaml"
    /// The one model file a version directory must hold.
    static let modelFile = "model.onnx"

    /// Reads REPO: every model directory, its config, and the versions its policy selects,
    /// loading each model.onnx with PredictRuntime. Throws only when REPO itself cannot be read
    /// (missing, not a directory): one broken model never stops the others. Hidden entries and
    /// files at the top level are ignored silently.
    ///
    /// `reuse` lets a reload skip parsing a model.onnx that has not changed: given the file and
    /// its stamp, it returns the model already loaded from that very file, or nil.
    public static func scan(
        _ directory: URL, reuse: (URL, FileStamp) -> InferenceModel? = { _, _ in nil }
    ) throws(ConfigurationError) -> RepositoryScan {
        let names: [String]
        switch kind(of: directory) {
        case .missing:
            throw ConfigurationError(file: directory.path, key: nil, message: "the model repository does not exist")
        case .file:
            throw ConfigurationError(file: directory.path, key: nil, message: "the model repository is not a directory")
        case .directory:
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            } catch {
                throw ConfigurationError(
                    file: directory.path, key: nil, message: "cannot read the model repository: \(error.localizedDescription)")
            }
        }
        var warnings: [String] = []
        var models: [ModelEntry] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let modelDirectory = directory.appendingPathComponent(name, isDirectory: true)
            guard kind(of: modelDirectory) == .directory else { continue }
            models.append(scanModel(named: name, in: modelDirectory, reuse: reuse, warnings: &warnings))
        }
        return RepositoryScan(models: models, warnings: warnings)
    }

    /// Whether `name` may name a model: `[A-Za-z0-9][A-Za-z0-9_.-]*`.
    public static func isValidModelName(_ name: String) -> Bool {
        func isAlphanumeric(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
        guard let first = name.first, isAlphanumeric(first) else { return false }
        return name.allSatisfy { isAlphanumeric($0) || $0 == "_" || $0 == "." || $0 == "-" }
    }

    /// The version a directory name stands for: a positive decimal integer without leading zeros.
    public static func versionNumber(_ name: String) -> Int? {
        guard let first = name.first, first != "0", name.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(name)
    }

    private static func scanModel(
        named name: String, in directory: URL, reuse: (URL, FileStamp) -> InferenceModel?, warnings: inout [String]
    ) -> ModelEntry {
        let configurationURL = directory.appendingPathComponent(configurationFile)
        let configurationStamp = FileStamp(of: configurationURL)
        func broken(_ configuration: ModelConfiguration?, _ problem: String) -> ModelEntry {
            ModelEntry(name: name, directory: directory, configuration: configuration, problem: problem, versions: [], configurationStamp: configurationStamp)
        }
        let configuration: ModelConfiguration
        do {
            configuration = try loadConfiguration(configurationURL)
        } catch {
            return broken(nil, isValidModelName(name) ? error.description : nameProblem(name, directory))
        }
        guard isValidModelName(name) else { return broken(configuration, nameProblem(name, directory)) }

        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            return broken(configuration, "\(directory.path): cannot read the model directory: \(error.localizedDescription)")
        }
        var available: [Int: URL] = [:]
        for entry in entries.sorted() where !entry.hasPrefix(".") && entry != configurationFile {
            let url = directory.appendingPathComponent(entry)
            if kind(of: url) != .directory {
                warnings.append("\(url.path): ignored (a model directory holds \(configurationFile) and version directories)")
            } else if let number = versionNumber(entry) {
                available[number] = url
            } else {
                warnings.append("\(url.path): not a version directory (versions are positive integers)")
            }
        }
        guard !available.isEmpty else {
            return broken(configuration, "\(directory.path): no version directories (expected \(directory.path)/<version>/\(modelFile), versions being positive integers)")
        }

        let present = available.keys.sorted().map(String.init).joined(separator: ", ")
        let (selected, missing) = configuration.versionPolicy.select(from: available.keys)
        for version in missing {
            warnings.append("\(configurationURL.path): 'version_policy' lists version \(version), which does not exist (versions present: \(present))")
        }
        guard !selected.isEmpty else {
            return broken(configuration, "\(configurationURL.path): 'version_policy' \(configuration.versionPolicy) selects none of the versions present (\(present))")
        }
        // Versions the routing names load whatever the version policy says: a canary's old
        // version keeps serving its share, a tagged version stays reachable.
        let routing = configuration.routing
        for version in routing.namedVersions.sorted() where available[version] == nil {
            let key = routing.traffic?.contains { $0.version == version } == true ? "traffic" : "tags"
            return broken(configuration, "\(configurationURL.path): '\(key)' names version \(version), which does not exist (versions present: \(present))")
        }
        let versions = Set(selected).union(routing.namedVersions).sorted().map { loadVersion($0, in: available[$0]!, reuse: reuse) }
        return ModelEntry(
            name: name, directory: directory, configuration: configuration, problem: nil, versions: versions,
            configurationStamp: configurationStamp)
    }

    private static func nameProblem(_ name: String, _ directory: URL) -> String {
        "\(directory.path): '\(name)' is not a valid model name (names match [A-Za-z0-9][A-Za-z0-9_.-]*)"
    }

    /// The configuration in `url`, or the defaults when there is no such file.
    private static func loadConfiguration(_ url: URL) throws(ConfigurationError) -> ModelConfiguration {
        switch kind(of: url) {
        case .missing:
            return ModelConfiguration()
        case .directory:
            throw ConfigurationError(file: url.path, key: nil, message: "is a directory; the configuration must be a file")
        case .file:
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw ConfigurationError(file: url.path, key: nil, message: "cannot be read: \(error.localizedDescription)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ConfigurationError(file: url.path, key: nil, message: "is not UTF-8 text")
            }
            return try ModelConfiguration.parse(text, file: url.path)
        }
    }

    private static func loadVersion(_ number: Int, in directory: URL, reuse: (URL, FileStamp) -> InferenceModel?) -> ModelVersionEntry {
        let url = directory.appendingPathComponent(modelFile)
        let stamp = FileStamp(of: url)
        func failed(_ reason: String) -> ModelVersionEntry {
            ModelVersionEntry(number: number, modelURL: url, state: .failed(reason: "\(url.path): \(reason)"), stamp: stamp)
        }
        switch kind(of: url) {
        case .missing: return failed("missing (each version directory holds its model as \(modelFile))")
        case .directory: return failed("is a directory, not an ONNX file")
        case .file: break
        }
        if let stamp, let model = reuse(url, stamp) {
            return ModelVersionEntry(number: number, modelURL: url, state: .loaded(model), stamp: stamp)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            return failed("cannot be read: \(error.localizedDescription)")
        }
        do {
            return ModelVersionEntry(number: number, modelURL: url, state: .loaded(try InferenceModel(serialized: data)), stamp: stamp)
        } catch {
            return failed("\(error)")
        }
    }

    private enum EntryKind { case missing, file, directory }

    /// What is at `url`, following symbolic links.
    private static func kind(of url: URL) -> EntryKind {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return .missing }
        return isDirectory.boolValue ? .directory : .file
    }
}
