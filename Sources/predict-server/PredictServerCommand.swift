import ArgumentParser
import Foundation
import Logging
import PredictProtocol
import PredictServer
import PredictServing
import ServiceLifecycle

/// `predict-server`: serves a model repository over TLS until SIGTERM or SIGINT, then drains.
@main
struct PredictServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict-server",
        abstract: "Serve ONNX models over the predict protocol (TLS, ALPN predict/1).",
        discussion: """
            Production: predict-server --models DIR --tls-cert CERT.pem --tls-key KEY.pem
            Development: predict-server --dev   (a local CA and certificate, examples/models)
            SIGTERM or SIGINT drains: calls in flight finish, clients are told to go elsewhere.
            """,
        version: ProductVersion.version)

    @Option(help: "The address to listen on. Default 0.0.0.0; 127.0.0.1 with --dev or --insecure.")
    var host: String?

    @Option(help: "The port to listen on. Default $PORT, else 8443. 0 picks a free port.")
    var port: Int?

    @Option(name: .customLong("tls-cert"), help: "PEM file with the server certificate chain.")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "PEM file with the server certificate's private key.")
    var tlsKey: String?

    @Option(help: "The model repository: DIR/MODEL/VERSION/model.onnx. Default examples/models with --dev.")
    var models: String?

    @Flag(help: "Serve plaintext, for local use only: binds to loopback and refuses other addresses.")
    var insecure = false

    @Flag(help: "Development mode: creates (or reuses) a local CA and a certificate for localhost in the state folder, serves examples/models, and prints the predict-client command to call it.")
    var dev = false

    @Option(name: .customLong("state-dir"), help: "Dev mode's state folder. Default $XDG_STATE_HOME/predict, else ~/.local/state/predict.")
    var stateDirectory: String?

    @Flag(name: .customLong("allow-cpu-sharing"), help: "Let model workers share CPUs when the repository asks for more CPUs than this machine has (always on with --dev).")
    var allowCPUSharing = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @OptionGroup(title: "Authentication")
    var auth: AuthenticationOptions

    func validate() throws {
        if port.map({ !(0...65_535).contains($0) }) ?? false {
            throw ValidationError("--port must be between 0 and 65535")
        }
        if insecure && (tlsCertificate != nil || tlsKey != nil) {
            throw ValidationError("--insecure serves plaintext; drop --tls-cert and --tls-key, or drop --insecure")
        }
        if (tlsCertificate == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        if !dev && !insecure && tlsCertificate == nil {
            throw ValidationError("TLS needs --tls-cert and --tls-key (or --dev for a local development certificate, or --insecure for plaintext on loopback)")
        }
        if !dev && models == nil {
            throw ValidationError("--models DIR is required (a folder of MODEL/VERSION/model.onnx), unless --dev")
        }
        try auth.validate(dev: dev)
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
        let logger = Logger(label: "predict")
        let launch = try ServerLaunch.prepare(self)

        let service: InferenceService
        do {
            service = try InferenceService(
                repository: URL(fileURLWithPath: launch.modelsDirectory),
                options: ServingOptions(allowCPUSharing: dev || allowCPUSharing))
        } catch {
            throw StartupFailure("cannot serve '\(launch.modelsDirectory)': \(error)")
        }
        for warning in service.warnings { logger.warning("\(warning)") }
        for model in service.models {
            let ready = model.versions.filter(\.isReady).map { String($0.number) }
            if let problem = model.problem ?? model.versions.first(where: { !$0.isReady })?.unavailableReason {
                logger.warning("model unavailable", metadata: ["model": "\(model.name)", "reason": "\(problem)"])
            }
            if !ready.isEmpty {
                logger.info("model ready", metadata: ["model": "\(model.name)", "versions": "\(ready.joined(separator: ","))"])
            }
        }

        let authentication: AuthenticationSetup
        do {
            authentication = try await AuthenticationSetup.prepare(
                auth, dev: dev, stateDirectory: launch.stateDirectory, service: service, logger: logger)
        } catch {
            service.shutdown()
            throw error
        }
        let configuration = launch.configuration(authentication.authentication, probesOpen: auth.allowUnauthenticatedProbes || dev)
        let server = PredictServer(configuration: configuration, service: service, logger: logger)
        do {
            try await server.start()
        } catch {
            service.shutdown()
            try? await authentication.httpClient?.shutdown()
            throw StartupFailure("\(error)")
        }
        if let banner = launch.banner(port: server.port ?? configuration.port, token: authentication.devToken) {
            // Unbuffered, so a script or a terminal sees it at once.
            FileHandle.standardOutput.write(Data((banner + "\n").utf8))
        }
        var services: [any Service] = [server]
        if let ring = authentication.keyRing { services.append(KeyRingService(ring: ring)) }
        let group = ServiceGroup(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        try await group.run()
        service.shutdown()
        try? await authentication.httpClient?.shutdown()
    }
}

/// A start-up failure: printed as one line, exit code 1.
struct StartupFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
