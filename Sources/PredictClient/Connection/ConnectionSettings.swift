import NIOCore
import NIOSSL
import PredictProtocol

/// What every connection of one client needs, resolved once from the client's
/// ``PredictClient/Configuration``: the TLS context (CA file read, ALPN set) and the names.
struct ConnectionSettings: Sendable {
    let host: String
    let port: Int
    /// `host:port`, for messages.
    let address: String
    let userAgent: String
    let connectTimeout: Duration
    let maxInboundFrameBytes: Int
    /// Nil for plaintext.
    let sslContext: NIOSSLContext?
    /// The TLS SNI and the DNS name the certificate must carry; nil for an IP address, whose
    /// certificate NIOSSL then checks for an IP SAN equal to the peer's address.
    let sniHostname: String?

    var usesTLS: Bool { sslContext != nil }

    /// The name the certificate was checked against, for messages.
    var verifiedHostname: String { sniHostname ?? host }

    init(_ configuration: PredictClient.Configuration) throws(PredictClientError) {
        host = configuration.host
        port = configuration.port
        address = configuration.address
        userAgent = configuration.userAgent
        connectTimeout = configuration.connectTimeout
        maxInboundFrameBytes = configuration.maxInboundFrameBytes
        switch configuration.security {
        case .plaintext:
            sslContext = nil
            sniHostname = nil
        case .tls(let trust):
            sslContext = try Self.makeSSLContext(trust: trust)
            let name = configuration.serverHostname ?? configuration.host
            // NIOSSL refuses an IP address as SNI (RFC 6066); without one it matches IP SANs
            // against the address it connected to.
            sniHostname = Self.isIPAddress(name) ? nil : name
        }
    }

    private static func makeSSLContext(trust: PredictClient.TrustRoots) throws(PredictClientError) -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.certificateVerification = .fullVerification
        tls.applicationProtocols = [WireProtocol.alpnProtocol]
        switch trust {
        case .system:
            tls.trustRoots = .default
        case .certificateAuthority(let pemFile):
            // Read now, so a missing or malformed file is reported as such, not as a failed handshake.
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(pemFile)
            } catch {
                throw PredictClientError(.invalidArgument, "cannot read the CA certificate file '\(pemFile)': \(ConnectionFailure.describe(error, serverHostname: nil))")
            }
            guard !certificates.isEmpty else {
                throw PredictClientError(.invalidArgument, "the CA certificate file '\(pemFile)' holds no PEM certificate")
            }
            tls.trustRoots = .certificates(certificates)
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw PredictClientError(.internalError, "cannot set up TLS: \(ConnectionFailure.describe(error, serverHostname: nil))")
        }
    }

    private static func isIPAddress(_ name: String) -> Bool {
        (try? SocketAddress(ipAddress: name, port: 0)) != nil
    }
}
