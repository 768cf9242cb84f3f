import PredictProtocol

/// The one error every ``PredictClient`` call throws: a status code of PROTOCOL.md and a
/// message a person can act on.
///
/// Errors the server reports (a `Result` or `GoAway` status) arrive as they were sent; failures
/// found locally (a refused connection, a timeout, ragged rows) use the code the server would
/// have used. The message never contains a token or a stack trace.
public struct PredictClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure, numbered as gRPC numbers it.
    public var code: StatusCode
    /// What went wrong, for a person.
    public var message: String

    /// An error with `code` and a `message` for a person.
    public init(_ code: StatusCode, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `NOT_FOUND: unknown model 'x'`.
    public var description: String { "\(code.name): \(message)" }

    /// The error a non-OK wire status stands for. A code PROTOCOL.md does not use is reported as
    /// INTERNAL with the number kept in the message, so nothing the server said is lost.
    init(status: Predict_V1_Status) {
        if let code = status.statusCode {
            self.init(code, status.message)
        } else {
            self.init(.internalError, "status code \(status.code): \(status.message)")
        }
    }

    static func cancelled() -> PredictClientError {
        PredictClientError(.cancelled, "the call was cancelled")
    }

    static func deadlineExceeded(_ timeout: Duration?) -> PredictClientError {
        let after = timeout.map { " after \($0.formattedSeconds)" } ?? ""
        return PredictClientError(.deadlineExceeded, "no result within the deadline\(after)")
    }
}

extension Duration {
    /// `1.5s`, for messages.
    var formattedSeconds: String {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(Double(milliseconds) / 1000)s"
    }
}
