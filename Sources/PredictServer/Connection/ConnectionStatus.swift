/// A status the connection state machine puts on the wire: a `Result`'s status or a `GoAway`'s.
///
/// The codes are PROTOCOL.md's "Status codes used" (gRPC numbers). This type is local to the
/// server's connection logic; the handler maps it onto the protocol module's `Status` message.
struct ConnectionStatus: Hashable, Sendable, CustomStringConvertible {
    /// The gRPC status code numbers PROTOCOL.md uses.
    enum Code: UInt32, Hashable, Sendable {
        case ok = 0
        case cancelled = 1
        case invalidArgument = 3
        case deadlineExceeded = 4
        case notFound = 5
        case permissionDenied = 7
        case resourceExhausted = 8
        case unimplemented = 12
        case `internal` = 13
        case unavailable = 14
        case unauthenticated = 16
    }

    var code: Code
    /// For a person; never a token or a stack trace.
    var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { "\(code)(\(code.rawValue)): \(message)" }
}
