/// A status code of PROTOCOL.md's table, numbered as gRPC numbers them.
///
/// Every failure the protocol reports, in a `Result` or a `GoAway`, maps to exactly one of
/// these. Codes that gRPC defines but PROTOCOL.md does not use have no case; a peer that sends
/// one is seen as `nil` by ``PredictProtocol/Predict_V1_Status/statusCode``.
public enum StatusCode: UInt32, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case ok = 0
    case cancelled = 1
    case invalidArgument = 3
    case deadlineExceeded = 4
    case notFound = 5
    case permissionDenied = 7
    case resourceExhausted = 8
    case unimplemented = 12
    case internalError = 13
    case unavailable = 14
    case unauthenticated = 16

    /// The name as PROTOCOL.md and gRPC spell it, e.g. `RESOURCE_EXHAUSTED`; what a person sees.
    public var name: String {
        switch self {
        case .ok: "OK"
        case .cancelled: "CANCELLED"
        case .invalidArgument: "INVALID_ARGUMENT"
        case .deadlineExceeded: "DEADLINE_EXCEEDED"
        case .notFound: "NOT_FOUND"
        case .permissionDenied: "PERMISSION_DENIED"
        case .resourceExhausted: "RESOURCE_EXHAUSTED"
        case .unimplemented: "UNIMPLEMENTED"
        case .internalError: "INTERNAL"
        case .unavailable: "UNAVAILABLE"
        case .unauthenticated: "UNAUTHENTICATED"
        }
    }

    public var description: String { name }
}
