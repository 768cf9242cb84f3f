import NIOCore
import PredictAuth
import PredictProtocol

/// What every connection of a server shares: the state machine's policy, the timers' lengths
/// and the `Welcome` it sends. Derived once from `ServerConfiguration`.
struct ConnectionSettings: Sendable {
    var machine: ConnectionConfiguration
    var authentication: ServerAuthentication
    var maxFrameBytes: Int
    var idleTimeout: TimeAmount
    var readTimeout: TimeAmount
    /// Nanoseconds; the deadline of a call that sets no `timeout_ms`.
    var defaultCallTimeoutNanoseconds: UInt64
    var usesTLS: Bool
    let metrics: ServerMetrics
    /// The access policy in force, replaced when a reload changes per-model invokers.
    let accessPolicy: AccessPolicyBox?

    init(_ configuration: ServerConfiguration, metrics: ServerMetrics, accessPolicy: AccessPolicyBox?) {
        self.metrics = metrics
        self.accessPolicy = accessPolicy
        if case .tls = configuration.transport { usesTLS = true } else { usesTLS = false }
        machine = ConnectionConfiguration(
            maxConcurrentCalls: configuration.limits.maxConcurrentCalls,
            authenticationRequired: configuration.authentication.isRequired,
            allowsUnauthenticatedHealthChecks: configuration.allowsUnauthenticatedHealthChecks)
        authentication = configuration.authentication
        maxFrameBytes = configuration.limits.maxFrameBytes
        idleTimeout = TimeAmount(configuration.idleTimeout)
        readTimeout = TimeAmount(configuration.readTimeout)
        defaultCallTimeoutNanoseconds = UInt64(TimeAmount(configuration.defaultCallTimeout).nanoseconds)
    }

    /// The `Welcome` frame answering a Hello, with the identity the connection now runs as.
    func welcome(identity: VerifiedIdentity?) -> Predict_V1_Frame {
        var welcome = Predict_V1_Welcome()
        welcome.protocolVersion = WireProtocol.version
        welcome.maxFrameBytes = UInt32(maxFrameBytes)
        welcome.maxConcurrentCalls = UInt32(machine.maxConcurrentCalls)
        welcome.server = "\(ProductVersion.name)/\(ProductVersion.version)"
        if let identity {
            var wire = Predict_V1_Identity()
            wire.subject = identity.subject
            wire.email = identity.email ?? ""
            wire.issuer = identity.issuer
            wire.expiresAtUnix = Int64(identity.expiresAt.timeIntervalSince1970)
            welcome.identity = wire
        }
        var frame = Predict_V1_Frame()
        frame.welcome = welcome
        return frame
    }
}


extension ServerAuthentication {
    var isRequired: Bool {
        if case .required = self { true } else { false }
    }
}
