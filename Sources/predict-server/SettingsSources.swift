import Foundation
import PredictServer

/// Where settings come from, lowest first: defaults, the configuration file, `$PORT`, flags.
enum SettingsSources {
    static func resolve(file: String?, flags: ServerSettings, dev: Bool) throws -> ServerSettings {
        var settings = ServerSettings()
        if let file {
            do {
                settings = try ServerSettingsFile.load(file)
            } catch {
                throw StartupFailure("\(error)")
            }
        }
        settings = settings.overriding(with: try environment()).overriding(with: flags)
        do {
            try settings.validate(dev: dev)
        } catch {
            throw StartupFailure(error.message)
        }
        return settings
    }

    /// `$PORT`, as Cloud Run and similar platforms set it.
    static func environment() throws -> ServerSettings {
        var settings = ServerSettings()
        if let value = ProcessInfo.processInfo.environment["PORT"], !value.isEmpty {
            guard let port = Int(value), (0...65_535).contains(port) else {
                throw StartupFailure("$PORT is '\(value)', not a port number")
            }
            settings.port = port
        }
        return settings
    }
}
