import ArgumentParser
import Foundation
import PredictServer
import PredictServing

/// `predict-server check-config FILE`: reads and validates a configuration file as start-up
/// would, without binding a port or loading a model: every key, the rules between keys, the
/// TLS pair, the JWKS file and the repository directory. Exit 0 and a summary when it would
/// start; exit 1 and one line naming the file, key and reason when not.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file without starting the server.")

    @Argument(help: "The YAML configuration file.")
    var file: String

    func run() async throws {
        let settings: ServerSettings
        do {
            settings = try ServerSettingsFile.load(file)
            try settings.validate(dev: false)
        } catch let error as ConfigurationError {
            throw CheckFailure("\(error)")
        } catch let error as SettingsError {
            throw CheckFailure("\(file): \(error.message)")
        }
        if let certificate = settings.tlsCertificate, let key = settings.tlsKey {
            do {
                _ = try TransportSecurity.tls(certificateChainFile: certificate, privateKeyFile: key).validated()
            } catch {
                throw CheckFailure("\(file): tls: \(error.message)")
            }
        }
        if let jwks = settings.jwksFile, !FileManager.default.isReadableFile(atPath: jwks) {
            throw CheckFailure("\(file): authentication.jwks_file '\(jwks)' cannot be read")
        }
        if let models = settings.models {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: models, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw CheckFailure("\(file): repository.path '\(models)' is not a directory")
            }
        }
        print("\(file): OK")
        print("  listen \(settings.host ?? "0.0.0.0"):\(settings.port ?? ServerSettings.defaultPort) over \(settings.insecure ?? false ? "plaintext (loopback only)" : "TLS")")
        print("  models \(settings.models ?? "-")")
        print("  authentication \(settings.allowUnauthenticated ?? false ? "OFF (allow_unauthenticated)" : "on")")
        print("  metrics \(settings.metricsPort.map { "\(settings.metricsHost ?? ServerSettings.defaultMetricsHost):\($0)/metrics" } ?? "off")")
        print("  drain timeout \(DurationText.format(settings.drainTimeout ?? ServerSettings.defaultDrainTimeout))")
    }
}

/// A configuration that would not start: one line, exit code 1.
struct CheckFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
