import PredictRuntime

/// The one error type of the serving core: a status code (the gRPC numbers that
/// ../shared/PROTOCOL.md uses, so the server maps it to the wire one to one) and a message a
/// caller can act on. Messages never contain tensor data.
public struct ServingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: UInt32, Sendable, Hashable, CaseIterable {
        case cancelled = 1
        case invalidArgument = 3
        case deadlineExceeded = 4
        case notFound = 5
        case resourceExhausted = 8
        case unimplemented = 12
        case internalError = 13
        case unavailable = 14

        /// PROTOCOL.md's name for the code, for logs and metrics labels.
        public var name: String {
            switch self {
            case .cancelled: "CANCELLED"
            case .invalidArgument: "INVALID_ARGUMENT"
            case .deadlineExceeded: "DEADLINE_EXCEEDED"
            case .notFound: "NOT_FOUND"
            case .resourceExhausted: "RESOURCE_EXHAUSTED"
            case .unimplemented: "UNIMPLEMENTED"
            case .internalError: "INTERNAL"
            case .unavailable: "UNAVAILABLE"
            }
        }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.name): \(message)" }

    /// The one place runtime errors become statuses: bad inputs are the caller's to fix,
    /// everything else is a fault of the model or the server.
    public init(_ error: RuntimeError) {
        switch error.kind {
        case .invalidInput: self.init(.invalidArgument, error.message)
        case .invalidModel, .unsupported: self.init(.unavailable, error.message)
        case .internalFailure: self.init(.internalError, error.message)
        }
    }

    /// Any error thrown while running a batch, as the status its requests receive.
    static func fromBatchFailure(_ error: any Error) -> ServingError {
        switch error {
        case let e as ServingError: e
        case let e as RuntimeError: ServingError(e)
        default: ServingError(.internalError, "the model failed: \(error)")
        }
    }
}
