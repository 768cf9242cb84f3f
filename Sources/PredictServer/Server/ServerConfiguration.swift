import PredictProtocol

/// How a `PredictServer` listens and what it allows each connection. A value with documented
/// defaults; `predict-server` fills it from flags and `$PORT`.
public struct ServerConfiguration: Sendable {
    /// The address to bind. Default "0.0.0.0"; an insecure server must bind a loopback address.
    public var host: String
    /// The port to bind; 0 picks a free one (`PredictServer.port` tells which). Default 8443.
    public var port: Int
    /// TLS with a certificate, or plaintext on loopback.
    public var transport: TransportSecurity
    /// Frame size and calls-in-flight limits, advertised in `Welcome`.
    public var limits: ProtocolLimits
    /// A connection with no call in flight and no frame for this long is closed with GoAway.
    /// Default 5 minutes, under the 10 minutes most cloud load balancers allow an idle stream.
    public var idleTimeout: Duration
    /// A frame started but not finished within this long closes the connection (a stalled or
    /// slow-loris peer). Default 30 seconds: a 4 MiB frame at 1 Mbit/s takes that long.
    public var readTimeout: Duration
    /// The deadline of a call whose `timeout_ms` is 0. Default 30 seconds.
    public var defaultCallTimeout: Duration
    /// How long a drain waits for calls in flight before closing their connections. Default 10 s.
    public var drainTimeout: Duration
    /// Token verification and authorization, or none (`--allow-unauthenticated`). No default:
    /// whoever builds a server decides.
    public var authentication: ServerAuthentication
    /// Whether `server_live` and `server_ready` may be called without a token (PROTOCOL.md rule
    /// 7), for load balancers' probes. Default false.
    public var allowsUnauthenticatedHealthChecks: Bool

    public init(
        host: String = "0.0.0.0",
        port: Int = 8443,
        transport: TransportSecurity,
        authentication: ServerAuthentication,
        limits: ProtocolLimits = .default,
        idleTimeout: Duration = .seconds(300),
        readTimeout: Duration = .seconds(30),
        defaultCallTimeout: Duration = .seconds(30),
        drainTimeout: Duration = .seconds(10),
        allowsUnauthenticatedHealthChecks: Bool = false
    ) {
        self.host = host
        self.port = port
        self.transport = transport
        self.authentication = authentication
        self.limits = limits
        self.idleTimeout = idleTimeout
        self.readTimeout = readTimeout
        self.defaultCallTimeout = defaultCallTimeout
        self.drainTimeout = drainTimeout
        self.allowsUnauthenticatedHealthChecks = allowsUnauthenticatedHealthChecks
    }
}
