import Foundation
import PredictProtocol
import PredictServer

/// What the flags resolve to: the server configuration, the repository and, in dev mode, the
/// credentials to tell the user about.
struct ServerLaunch {
    var host: String
    var port: Int
    var transport: TransportSecurity
    var modelsDirectory: String
    var stateDirectory: URL
    var dev: DevCredentials?

    static func prepare(_ command: PredictServerCommand) throws -> ServerLaunch {
        let port = try command.port ?? environmentPort() ?? 8443
        let localOnly = command.dev || command.insecure
        let host = command.host ?? (localOnly ? "127.0.0.1" : "0.0.0.0")
        var dev: DevCredentials?
        let transport: TransportSecurity
        let state = command.stateDirectory.map { URL(fileURLWithPath: $0) } ?? DevStateDirectory.defaultURL()
        if command.insecure {
            transport = .insecure
        } else if let certificate = command.tlsCertificate, let key = command.tlsKey {
            transport = .tls(certificateChainFile: certificate, privateKeyFile: key)
        } else {
            let credentials = try DevCertificateAuthority.prepare(stateDirectory: state)
            dev = credentials
            transport = .tls(certificateChainFile: credentials.serverCertificate.path, privateKeyFile: credentials.serverKey.path)
        }
        return ServerLaunch(
            host: host, port: port, transport: transport,
            modelsDirectory: command.models ?? "examples/models",
            stateDirectory: state, dev: dev)
    }

    func configuration(_ authentication: ServerAuthentication, probesOpen: Bool) -> ServerConfiguration {
        ServerConfiguration(
            host: host, port: port, transport: transport, authentication: authentication,
            allowsUnauthenticatedHealthChecks: probesOpen)
    }

    /// `$PORT`, as Cloud Run and similar platforms set it.
    private static func environmentPort() throws -> Int? {
        guard let value = ProcessInfo.processInfo.environment["PORT"], !value.isEmpty else { return nil }
        guard let port = Int(value), (0...65_535).contains(port) else {
            throw StartupFailure("$PORT is '\(value)', not a port number")
        }
        return port
    }

    /// Dev mode's instructions: where the CA and the token are, and the exact command that
    /// calls the server. The token itself stays in its file, out of logs and scrollback.
    func banner(port: Int, token: DevTokenAuthority.Prepared?) -> String? {
        guard let dev else { return nil }
        let created = dev.created ? "created" : "reused"
        let host = self.host == "0.0.0.0" || self.host == "127.0.0.1" ? "localhost" : self.host
        let tokenLine = token.map { "dev token for \(DevTokenAuthority.principal), valid 12 h: \($0.tokenFile.path)\n" } ?? ""
        let tokenFlag = token.map { " --token $(cat \($0.tokenFile.path))" } ?? ""
        return """
            predict-server \(ProductVersion.version) in dev mode: serving \(modelsDirectory) on \(host):\(port) over TLS
            dev CA (\(created)): \(dev.caCertificate.path)
            \(tokenLine)call it with:
              predict-client --server \(host):\(port) --ca \(dev.caCertificate.path)\(tokenFlag) infer iris --features 5.1,3.5,1.4,0.2
            """
    }
}
