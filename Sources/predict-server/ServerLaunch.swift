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

    static func prepare(_ settings: ServerSettings, dev devMode: Bool, stateDirectory: String?) throws -> ServerLaunch {
        let insecure = settings.insecure ?? false
        let port = settings.port ?? ServerSettings.defaultPort
        let host = settings.host ?? (devMode || insecure ? "127.0.0.1" : "0.0.0.0")
        var dev: DevCredentials?
        let transport: TransportSecurity
        let state = stateDirectory.map { URL(fileURLWithPath: $0) } ?? DevStateDirectory.defaultURL()
        if insecure {
            transport = .insecure
        } else if let certificate = settings.tlsCertificate, let key = settings.tlsKey {
            transport = .tls(certificateChainFile: certificate, privateKeyFile: key)
        } else {
            let credentials = try DevCertificateAuthority.prepare(stateDirectory: state)
            dev = credentials
            transport = .tls(certificateChainFile: credentials.serverCertificate.path, privateKeyFile: credentials.serverKey.path)
        }
        return ServerLaunch(
            host: host, port: port, transport: transport,
            modelsDirectory: settings.models ?? "examples/models",
            stateDirectory: state, dev: dev)
    }

    func configuration(_ authentication: ServerAuthentication, settings: ServerSettings, dev: Bool) -> ServerConfiguration {
        var configuration = ServerConfiguration(
            host: host, port: port, transport: transport, authentication: authentication,
            allowsUnauthenticatedHealthChecks: (settings.allowUnauthenticatedProbes ?? false) || dev)
        configuration.limits = ProtocolLimits(
            maxFrameBytes: settings.maxFrameBytes ?? ProtocolLimits.defaultMaxFrameBytes,
            maxConcurrentCalls: settings.maxConcurrentCalls ?? ProtocolLimits.defaultMaxConcurrentCalls)
        if let value = settings.idleTimeout { configuration.idleTimeout = value }
        if let value = settings.readTimeout { configuration.readTimeout = value }
        if let value = settings.defaultCallTimeout { configuration.defaultCallTimeout = value }
        configuration.drainTimeout = settings.drainTimeout ?? ServerSettings.defaultDrainTimeout
        return configuration
    }

    /// The files whose change triggers a reload: the certificate pair and the repository.
    var watchedFiles: ReloadService.Watched {
        var files: [String] = []
        if case .tls(let certificate, let key) = transport { files = [certificate, key] }
        return ReloadService.Watched(files: files, repository: URL(fileURLWithPath: modelsDirectory))
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
