import Foundation
import PredictProtocol
import PredictServer

/// What the flags resolve to: the server configuration, the repository and, in dev mode, the
/// credentials to tell the user about.
struct ServerLaunch {
    var configuration: ServerConfiguration
    var modelsDirectory: String
    var dev: DevCredentials?

    static func prepare(_ command: PredictServerCommand) throws -> ServerLaunch {
        let port = try command.port ?? environmentPort() ?? 8443
        let localOnly = command.dev || command.insecure
        let host = command.host ?? (localOnly ? "127.0.0.1" : "0.0.0.0")
        var dev: DevCredentials?
        let transport: TransportSecurity
        if command.insecure {
            transport = .insecure
        } else if let certificate = command.tlsCertificate, let key = command.tlsKey {
            transport = .tls(certificateChainFile: certificate, privateKeyFile: key)
        } else {
            let state = command.stateDirectory.map { URL(fileURLWithPath: $0) } ?? DevStateDirectory.defaultURL()
            let credentials = try DevCertificateAuthority.prepare(stateDirectory: state)
            dev = credentials
            transport = .tls(certificateChainFile: credentials.serverCertificate.path, privateKeyFile: credentials.serverKey.path)
        }
        return ServerLaunch(
            configuration: ServerConfiguration(host: host, port: port, transport: transport),
            modelsDirectory: command.models ?? "examples/models",
            dev: dev)
    }

    /// `$PORT`, as Cloud Run and similar platforms set it.
    private static func environmentPort() throws -> Int? {
        guard let value = ProcessInfo.processInfo.environment["PORT"], !value.isEmpty else { return nil }
        guard let port = Int(value), (0...65_535).contains(port) else {
            throw StartupFailure("$PORT is '\(value)', not a port number")
        }
        return port
    }

    /// Dev mode's instructions: where the CA is and the exact command that calls the server.
    func banner(port: Int) -> String? {
        guard let dev else { return nil }
        let created = dev.created ? "created" : "reused"
        let host = configuration.host == "0.0.0.0" || configuration.host == "127.0.0.1" ? "localhost" : configuration.host
        return """
            predict-server \(ProductVersion.version) in dev mode: serving \(modelsDirectory) on \(host):\(port) over TLS
            dev CA (\(created)): \(dev.caCertificate.path)
            call it with:
              predict-client --server \(host):\(port) --ca \(dev.caCertificate.path) infer iris --features 5.1,3.5,1.4,0.2
            """
    }
}
