import PredictProtocol

/// A status the connection state machine puts on the wire: a `Result`'s status or a `GoAway`'s.
///
/// The codes are PROTOCOL.md's "Status codes used" (`PredictProtocol.StatusCode`); the handler
/// turns this into the protocol module's `Status` message.
struct ConnectionStatus: Hashable, Sendable, CustomStringConvertible {
    /// The gRPC status code numbers PROTOCOL.md uses, shared with the wire layer.
    typealias Code = StatusCode

    var code: Code
    /// For a person; never a token or a stack trace.
    var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { "\(code)(\(code.rawValue)): \(message)" }
}
