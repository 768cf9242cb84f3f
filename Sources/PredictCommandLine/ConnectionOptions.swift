import ArgumentParser
import Foundation
import PredictClient

/// The options every predict-client subcommand and predict-bench take: where the server is, how to trust it, the token, the
/// deadline and the output form.
public struct ConnectionOptions: ParsableArguments {
    public init() {}

    @Option(help: ArgumentHelp("The server as host:port. Default: $PREDICT_SERVER, else localhost:8443.", valueName: "host:port"))
    public var server: String?

    @Option(help: ArgumentHelp("A PEM file of CA certificates to trust (dev mode: ~/.local/state/predict/ca.pem). Default: the system's trust store.", valueName: "file"))
    public var ca: String?

    @Option(name: .customLong("server-name"), help: ArgumentHelp("The name the server's certificate must carry, when it differs from the host dialled (e.g. a health check dialling 127.0.0.1). Default: the host.", valueName: "name"))
    public var serverName: String?

    @Flag(help: "Plaintext, for a server started with --insecure (loopback only).")
    public var insecure = false

    @Option(help: ArgumentHelp("The JWT to present. Default: $PREDICT_TOKEN; none when unset.", valueName: "token"))
    public var token: String?

    @Option(help: ArgumentHelp("Seconds to wait for each answer.", valueName: "seconds"))
    public var timeout: Double = 30

    @Flag(help: "Machine-readable JSON output.")
    public var json = false

    public func validate() throws {
        if insecure && serverName != nil {
            throw ValidationError("--insecure and --server-name exclude each other: plaintext has no certificates")
        }
        if insecure && ca != nil {
            throw ValidationError("--insecure and --ca exclude each other: plaintext has no certificates")
        }
        guard timeout > 0, timeout.isFinite else {
            throw ValidationError("--timeout must be a positive number of seconds")
        }
    }

    /// A client for these options; `connections` connections in its pool.
    public func makeClient(connections: Int = 1) throws(PredictClientError) -> PredictClient {
        let environment = ProcessInfo.processInfo.environment
        let address = try ServerAddress(parsing: server ?? environment["PREDICT_SERVER"] ?? "localhost:8443")
        let security: PredictClient.Security = if insecure {
            .plaintext
        } else if let ca {
            .tls(trust: .certificateAuthority(pemFile: Self.expandingTilde(ca)))
        } else {
            .tls(trust: .system)
        }
        let token = resolvedToken
        return PredictClient(configuration: .init(
            host: address.host,
            port: address.port,
            security: security,
            serverHostname: serverName,
            tokenProvider: token.map { token in { @Sendable in token } },
            connectionCount: connections,
            defaultTimeout: .milliseconds(Int64((timeout * 1000).rounded(.up)))
        ))
    }

    /// The token to present: --token, else $PREDICT_TOKEN. Never printed: not in help (no
    /// default shown), not in errors.
    public var resolvedToken: String? {
        token ?? ProcessInfo.processInfo.environment["PREDICT_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `~/x` as the shell would have expanded it (it does not after `--ca=`).
    private static func expandingTilde(_ path: String) -> String {
        guard path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] else { return path }
        return home + path.dropFirst()
    }
}
