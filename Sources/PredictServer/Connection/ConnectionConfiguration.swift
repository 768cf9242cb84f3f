/// The per-connection policy the state machine enforces. Timeouts and the frame size limit are the
/// channel handler's and the codec's; they reach the machine only as events.
struct ConnectionConfiguration: Hashable, Sendable {
    /// Calls in flight allowed on one connection; the excess get RESOURCE_EXHAUSTED (rule 5).
    /// Advertised in `Welcome.max_concurrent_calls`. Default 1024, as `ProtocolLimits` (above the
    /// 1,000 calls in flight one connection must carry).
    var maxConcurrentCalls: Int = 1024

    /// Whether every call needs a token, its own or the connection's (rules 1 and 6). Default true.
    /// When false, calls without any token are dispatched with a `nil` token.
    var authenticationRequired: Bool = true

    /// Whether `server_live` and `server_ready` may run without a token (rule 7), for load
    /// balancers' probes. Default true.
    var allowsUnauthenticatedHealthChecks: Bool = true

    /// The protocol versions a Hello may ask for. Version 1 only.
    var supportedProtocolVersions: Set<UInt32> = [1]

    init(
        maxConcurrentCalls: Int = 1024,
        authenticationRequired: Bool = true,
        allowsUnauthenticatedHealthChecks: Bool = true
    ) {
        precondition(maxConcurrentCalls > 0, "maxConcurrentCalls must be positive")
        self.maxConcurrentCalls = maxConcurrentCalls
        self.authenticationRequired = authenticationRequired
        self.allowsUnauthenticatedHealthChecks = allowsUnauthenticatedHealthChecks
    }
}
