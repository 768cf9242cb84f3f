import PredictProtocol

extension PredictClient {
    /// Where the server is, how to trust it, and how the client behaves. A value: build one,
    /// adjust it, hand it to ``PredictClient/init(configuration:)``.
    public struct Configuration: Sendable {
        /// The server's host name or IP address.
        public var host: String
        /// The server's TCP port.
        public var port: Int
        /// TLS with a trust source, or plaintext for a server started with `--insecure`.
        public var security: Security
        /// The name the server's certificate must carry (and the TLS SNI). Default: `host`,
        /// unless `host` is an IP address; then no SNI is sent and the certificate must carry
        /// that IP address.
        public var serverHostname: String?
        /// Asked for a token before each call and for each new connection's Hello. Returns the
        /// raw JWT (the client sends `Bearer <jwt>`), or nil for no token. A token different from
        /// the one a connection last presented makes the client send a new Hello first
        /// (PROTOCOL.md rule 2). Default: none.
        public var tokenProvider: (@Sendable () async throws -> String?)?
        /// Connections in the pool; calls are multiplexed over them. Default 2.
        public var connectionCount: Int
        /// The deadline of a call that names none; nil waits for ever. Default 30 seconds.
        public var defaultTimeout: Duration?
        /// Sent in Hello, for the server's logs. Default `predict-swift/<version>`.
        public var userAgent: String
        /// How long to wait for TCP to connect. Default 10 seconds.
        public var connectTimeout: Duration
        /// The largest frame accepted from the server, in bytes. Default 64 MiB: a response can
        /// be larger than the request it answers (probabilities for every row).
        public var maxInboundFrameBytes: Int

        /// A configuration with the documented defaults; only where and how to trust are required.
        public init(
            host: String,
            port: Int,
            security: Security,
            serverHostname: String? = nil,
            tokenProvider: (@Sendable () async throws -> String?)? = nil,
            connectionCount: Int = 2,
            defaultTimeout: Duration? = .seconds(30),
            userAgent: String = "predict-swift/\(ProductVersion.version)",
            connectTimeout: Duration = .seconds(10),
            maxInboundFrameBytes: Int = 64 * 1024 * 1024
        ) {
            self.host = host
            self.port = port
            self.security = security
            self.serverHostname = serverHostname
            self.tokenProvider = tokenProvider
            self.connectionCount = connectionCount
            self.defaultTimeout = defaultTimeout
            self.userAgent = userAgent
            self.connectTimeout = connectTimeout
            self.maxInboundFrameBytes = maxInboundFrameBytes
        }

        /// `host:port`, with brackets around an IPv6 address; how messages name the server.
        public var address: String {
            ServerAddress(host: host, port: port).description
        }
    }

    /// How the connection is protected.
    public enum Security: Sendable, Hashable {
        /// TLS 1.2 or later, ALPN `predict/1`, the server's certificate fully verified.
        case tls(trust: TrustRoots)
        /// No TLS: only for a server started with `--insecure`, which listens on loopback only.
        case plaintext
    }

    /// Which certificate authorities the client trusts.
    public enum TrustRoots: Sendable, Hashable {
        /// The certificates in one PEM file, e.g. dev mode's `~/.local/state/predict/ca.pem`.
        case certificateAuthority(pemFile: String)
        /// The operating system's trust store.
        case system
    }
}
