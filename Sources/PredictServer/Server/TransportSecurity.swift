import NIOCore
import NIOSSL
import PredictProtocol

/// Whether connections are TLS (the default and only production choice) or plaintext.
public enum TransportSecurity: Sendable {
    /// TLS 1.3 and 1.2 with a certificate chain and private key read from PEM files, ALPN
    /// `predict/1`.
    case tls(certificateChainFile: String, privateKeyFile: String)
    /// Plaintext, for local development and tests only. `PredictServer` refuses to bind it to
    /// anything but a loopback address: there is no silent fallback (PROTOCOL.md, Transport).
    case insecure

    /// Checks that the certificate and key can serve, as `check-config` does, without a server.
    public func validated() throws(ServerStartupError) -> Self {
        _ = try makeSSLContext()
        return self
    }

    /// The TLS context for `.tls`, nil for `.insecure`. Reads the files each time it is called
    /// (start-up and every reload).
    func makeSSLContext() throws(ServerStartupError) -> NIOSSLContext? {
        guard case .tls(let certificateFile, let keyFile) = self else { return nil }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        } catch {
            throw ServerStartupError("cannot read the TLS certificate chain '\(certificateFile)': \(error)")
        }
        guard !chain.isEmpty else {
            throw ServerStartupError("the TLS certificate file '\(certificateFile)' holds no PEM certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            // The error never includes key material, only the path.
            throw ServerStartupError("cannot read the TLS private key '\(keyFile)' (PEM expected)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = [WireProtocol.alpnProtocol]
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw ServerStartupError("the TLS certificate '\(certificateFile)' and key '\(keyFile)' cannot be used together: \(error)")
        }
    }
}

/// Why the server could not start: a message naming the file, flag or address at fault.
public struct ServerStartupError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
