/// Which request a `Call` frame carries (the `Call.request` oneof of PROTOCOL.md).
enum CallKind: Hashable, Sendable, CaseIterable {
    case serverLive
    case serverReady
    case modelReady
    case serverMetadata
    case modelMetadata
    case modelInfer

    /// Liveness and readiness probes, which configuration may allow without a token (rule 7).
    var isHealthCheck: Bool {
        switch self {
        case .serverLive, .serverReady: true
        case .modelReady, .serverMetadata, .modelMetadata, .modelInfer: false
        }
    }
}
