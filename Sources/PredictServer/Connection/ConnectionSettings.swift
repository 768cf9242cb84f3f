import NIOCore
import PredictProtocol

/// What every connection of a server shares: the state machine's policy, the timers' lengths
/// and the `Welcome` it sends. Derived once from `ServerConfiguration`.
struct ConnectionSettings: Sendable {
    var machine: ConnectionConfiguration
    var maxFrameBytes: Int
    var idleTimeout: TimeAmount
    var readTimeout: TimeAmount
    /// Nanoseconds; the deadline of a call that sets no `timeout_ms`.
    var defaultCallTimeoutNanoseconds: UInt64

    init(_ configuration: ServerConfiguration) {
        machine = ConnectionConfiguration(
            maxConcurrentCalls: configuration.limits.maxConcurrentCalls,
            // Token verification arrives with issue 5; until then tokens are not required.
            authenticationRequired: false,
            allowsUnauthenticatedHealthChecks: configuration.allowsUnauthenticatedHealthChecks)
        maxFrameBytes = configuration.limits.maxFrameBytes
        idleTimeout = TimeAmount(configuration.idleTimeout)
        readTimeout = TimeAmount(configuration.readTimeout)
        defaultCallTimeoutNanoseconds = UInt64(TimeAmount(configuration.defaultCallTimeout).nanoseconds)
    }

    /// The `Welcome` frame answering a Hello.
    var welcome: Predict_V1_Frame {
        var welcome = Predict_V1_Welcome()
        welcome.protocolVersion = WireProtocol.version
        welcome.maxFrameBytes = UInt32(maxFrameBytes)
        welcome.maxConcurrentCalls = UInt32(machine.maxConcurrentCalls)
        welcome.server = "\(ProductVersion.name)/\(ProductVersion.version)"
        var frame = Predict_V1_Frame()
        frame.welcome = welcome
        return frame
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
