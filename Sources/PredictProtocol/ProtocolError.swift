/// A violation of the wire protocol or a failed call, as one status code and a message.
///
/// Thrown by ``FrameDecoder`` for a frame that breaks PROTOCOL.md's framing rules; the server
/// answers it with `GoAway` carrying ``status`` and closes. The message is for a person and
/// never contains a token or a stack trace.
public struct ProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status the peer is told.
    public var code: StatusCode
    /// What went wrong, in words a caller can act on.
    public var message: String

    public init(_ code: StatusCode, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The wire form, for a `Result` or a `GoAway`.
    public var status: Predict_V1_Status {
        Predict_V1_Status(code, message)
    }

    public var description: String { "\(code.name): \(message)" }
}
