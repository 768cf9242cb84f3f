import ArgumentParser
import Foundation
import Logging
import Metrics
import PredictProtocol
import PredictServer
import PredictServing
import Prometheus
import ServiceLifecycle

/// `predict-server serve` (the default): serves until SIGTERM or SIGINT, then drains.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a model repository (the default command).")

    @Option(help: ArgumentHelp("A YAML configuration file (docs/CONFIGURATION.md). Flags and $PORT override it.", valueName: "file"))
    var config: String?

    @Option(help: "The address to listen on. Default 0.0.0.0; 127.0.0.1 with --dev or --insecure.")
    var host: String?

    @Option(help: "The port to listen on. Default $PORT, else 8443. 0 picks a free port.")
    var port: Int?

    @Option(name: .customLong("tls-cert"), help: "PEM file with the server certificate chain. Re-read on SIGHUP and when it changes.")
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

    @Option(name: .customLong("drain-timeout"), help: ArgumentHelp("How long SIGTERM waits for calls in flight (10, 10s, 500ms). Default 10s.", valueName: "duration"))
    var drainTimeout: DurationArgument?

    @Option(name: .customLong("metrics-port"), help: "Serve Prometheus metrics over plain HTTP on this port (GET /metrics). Off by default.")
    var metricsPort: Int?

    @Option(name: .customLong("metrics-host"), help: "The address of the metrics listener. Default 0.0.0.0.")
    var metricsHost: String?

    @Option(name: .customLong("reload-poll-interval"), help: ArgumentHelp("How often to look for a changed certificate or repository (0 = only on SIGHUP). Default 10s.", valueName: "duration"))
    var reloadPollInterval: DurationArgument?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical. Default info.")
    var logLevel: Logger.Level?

    @Option(name: .customLong("log-format"), help: "text (default) or json: one JSON object per line.")
    var logFormat: LogFormat?

    @OptionGroup(title: "Authentication")
    var auth: AuthenticationOptions

    func validate() throws {
        for (flag, value) in [("--port", port), ("--metrics-port", metricsPort)] {
            if let value, !(0...65_535).contains(value) { throw ValidationError("\(flag) must be between 0 and 65535") }
        }
    }

    /// The flags as settings, to lay over the file and `$PORT`.
    var flagSettings: ServerSettings {
        var settings = ServerSettings()
        settings.host = host
        settings.port = port
        if insecure { settings.insecure = true }
        settings.tlsCertificate = tlsCertificate
        settings.tlsKey = tlsKey
        settings.models = models
        if allowCPUSharing { settings.allowCPUSharing = true }
        settings.drainTimeout = drainTimeout?.duration
        settings.metricsPort = metricsPort
        settings.metricsHost = metricsHost
        settings.reloadPollInterval = reloadPollInterval?.duration
        settings.logLevel = logLevel
        settings.logFormat = logFormat
        auth.apply(to: &settings)
        return settings
    }

    func run() async throws {
        let settings = try SettingsSources.resolve(file: config, flags: flagSettings, dev: dev)
        LoggingSetup.bootstrap(level: settings.logLevel ?? .info, format: settings.logFormat ?? .text)
        let logger = Logger(label: "predict")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusSetup.factory(registry: registry))
        let launch = try ServerLaunch.prepare(settings, dev: dev, stateDirectory: stateDirectory)

        let service: InferenceService
        do {
            service = try InferenceService(
                repository: URL(fileURLWithPath: launch.modelsDirectory),
                options: ServingOptions(allowCPUSharing: dev || (settings.allowCPUSharing ?? false)))
        } catch {
            throw StartupFailure("cannot serve '\(launch.modelsDirectory)': \(error)")
        }
        Self.logRepository(service, logger: logger)

        let authentication: AuthenticationSetup
        do {
            authentication = try await AuthenticationSetup.prepare(
                settings, dev: dev, stateDirectory: launch.stateDirectory, service: service, logger: logger)
        } catch {
            service.shutdown()
            throw error
        }
        let configuration = launch.configuration(authentication.authentication, settings: settings, dev: dev)
        let server = PredictServer(configuration: configuration, service: service, logger: logger)
        var metrics: MetricsEndpoint?
        do {
            try await server.start()
            if let port = settings.metricsPort {
                let endpoint = MetricsEndpoint(host: settings.metricsHost ?? ServerSettings.defaultMetricsHost, port: port, registry: registry, logger: logger)
                try await endpoint.start()
                metrics = endpoint
            }
        } catch {
            await server.shutdown()
            service.shutdown()
            try? await authentication.httpClient?.shutdown()
            throw StartupFailure("\(error)")
        }
        if let banner = launch.banner(port: server.port ?? configuration.port, token: authentication.devToken) {
            // Unbuffered, so a script or a terminal sees it at once.
            FileHandle.standardOutput.write(Data((banner + "\n").utf8))
        }
        // Graceful shutdown runs in reverse order: the server drains first, the metrics
        // endpoint (which reports the drain) stops after it.
        var services: [any Service] = []
        if let metrics { services.append(metrics) }
        services.append(server)
        services.append(ReloadService(
            server: server, watched: launch.watchedFiles,
            pollInterval: settings.reloadPollInterval ?? ServerSettings.defaultReloadPollInterval, logger: logger))
        if let ring = authentication.keyRing { services.append(KeyRingService(ring: ring)) }
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
        service.shutdown()
        try? await authentication.httpClient?.shutdown()
        logger.info("stopped")
    }

    static func logRepository(_ service: InferenceService, logger: Logger) {
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
    }
}
