import PredictProtocol

/// Names one call inside one ``ClientConnection``, from submission on, before (and whether or
/// not) it gets a wire call_id.
struct LocalCallID: Hashable, Sendable {
    let value: UInt64
}

/// How a call submitted to one connection ended.
enum CallOutcome: Equatable, Sendable {
    /// The server's Result, whatever its status.
    case result(Predict_V1_Result)
    /// A failure decided on this side (closed connection, deadline, cancellation, refused Hello).
    case failed(PredictClientError)
    /// The server provably never accepted the call: send it again on another connection.
    case retry
}
