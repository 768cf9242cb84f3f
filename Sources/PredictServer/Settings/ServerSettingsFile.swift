import Foundation
import Logging
import PredictServing
import Yams

/// Reads `predict-server --config FILE`: a YAML mapping of sections (`listen`, `tls`,
/// `repository`, `authentication`, `limits`, `metrics`, `logging`, `reload`), each a mapping of
/// keys. Unknown sections or keys, values of the wrong type or out of range, and YAML syntax
/// errors fail with the file, the key (`limits.drain_timeout`) and what is allowed.
public enum ServerSettingsFile {
    /// Reads and parses the file at `path`.
    public static func load(_ path: String) throws(ConfigurationError) -> ServerSettings {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError(file: path, key: nil, message: "cannot be read: \((error as NSError).localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(file: path, key: nil, message: "is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses configuration text; `file` names it in errors. Empty text gives no settings.
    public static func parse(_ yaml: String, file: String) throws(ConfigurationError) -> ServerSettings {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw YAMLSyntax.error(error, yaml: yaml, file: file)
        }
        var settings = ServerSettings()
        guard let root, !root.isNull else { return settings }
        do throws(ConfigurationProblem) {
            guard case .mapping(let sections) = root else {
                throw ConfigurationProblem(key: nil, message: "must be a mapping of sections (\(SettingsKey.sectionNames)); got \(root.shown)")
            }
            for (sectionNode, body) in sections {
                guard let section = sectionNode.string, let keys = SettingsKey.sections[section] else {
                    throw ConfigurationProblem(key: sectionNode.string, message: "is not a section of this file; the sections are \(SettingsKey.sectionNames)")
                }
                guard case .mapping(let entries) = body else {
                    throw ConfigurationProblem(key: section, message: "must be a mapping of keys (\(keys.map(\.name).joined(separator: ", "))); got \(body.shown)")
                }
                for (keyNode, value) in entries {
                    guard let name = keyNode.string, let key = keys.first(where: { $0.name == name }) else {
                        throw ConfigurationProblem(
                            key: "\(section).\(keyNode.string ?? keyNode.shown)",
                            message: "is not a key of '\(section)'; its keys are \(keys.map(\.name).joined(separator: ", "))")
                    }
                    try key.read(value, "\(section).\(name)", &settings)
                }
            }
        } catch {
            throw error.inFile(file)
        }
        return settings
    }
}
