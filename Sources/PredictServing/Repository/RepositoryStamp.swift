import Foundation

/// A cheap summary of a model repository's files: every model directory, config.yaml, version
/// directory and model.onnx with its `FileStamp`. Two equal stamps mean nothing a scan reads
/// has changed, so a watcher can poll it every few seconds and reload only on a difference.
public struct RepositoryStamp: Hashable, Sendable {
    private var entries: [String: FileStamp?]

    /// Reads the stamps under `directory` (no model file is opened).
    public init(of directory: URL) {
        var entries: [String: FileStamp?] = [:]
        let manager = FileManager.default
        let models = (try? manager.contentsOfDirectory(atPath: directory.path)) ?? []
        for model in models where !model.hasPrefix(".") {
            let modelDirectory = directory.appendingPathComponent(model, isDirectory: true)
            entries[model] = FileStamp(of: modelDirectory)
            entries["\(model)/\(ModelRepository.configurationFile)"] = FileStamp(of: modelDirectory.appendingPathComponent(ModelRepository.configurationFile))
            for version in (try? manager.contentsOfDirectory(atPath: modelDirectory.path)) ?? [] where !version.hasPrefix(".") {
                let file = modelDirectory.appendingPathComponent(version).appendingPathComponent(ModelRepository.modelFile)
                entries["\(model)/\(version)/\(ModelRepository.modelFile)"] = FileStamp(of: file)
            }
        }
        self.entries = entries
    }
}
