import ArgumentParser
import Logging
import PredictProtocol
import PredictServer

/// `predict-server`: serves a model repository (the default `serve`), or checks a
/// configuration file (`check-config`).
@main
struct PredictServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict-server",
        abstract: "Serve ONNX models over the predict protocol (TLS, ALPN predict/1).",
        discussion: """
            Production: predict-server --config predict.yaml   (or --models DIR --tls-cert CERT.pem --tls-key KEY.pem ...)
            Development: predict-server --dev   (a local CA and certificate, examples/models)
            SIGTERM or SIGINT drains: calls in flight finish, clients are told to go elsewhere.
            SIGHUP re-reads the TLS certificate and the model repository.
            """,
        version: ProductVersion.version,
        subcommands: [ServeCommand.self, CheckConfigCommand.self],
        defaultSubcommand: ServeCommand.self)
}

/// A start-up failure: printed as one line, exit code 1.
struct StartupFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension LogFormat: ExpressibleByArgument {}

/// `--drain-timeout 10`, `--drain-timeout 500ms`.
struct DurationArgument: ExpressibleByArgument {
    var duration: Duration
    init?(argument: String) {
        guard let duration = DurationText.parse(argument, bareSeconds: true) else { return nil }
        self.duration = duration
    }
}
