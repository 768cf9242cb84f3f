/// The one error type the runtime throws: a kind a caller can branch on (and the server maps to
/// a status code) and a message a person can act on. Messages name the node, operator and opset
/// for load errors, and what was expected and what came for input errors. They never contain
/// tensor data.
public struct RuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The file is not a well-formed ONNX model (bad protobuf, dangling names, cycles, bad
        /// initializers, inconsistent attributes).
        case invalidModel
        /// Well-formed, but uses an operator, opset, attribute or type this runtime does not run.
        case unsupported
        /// The inputs of a call do not match the model (name, datatype, rank, dimensions, values).
        case invalidInput
        /// A kernel failed on inputs that passed validation; a bug or a model defect.
        case internalFailure
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }

    static func invalidModel(_ message: String) -> RuntimeError { .init(.invalidModel, message) }
    static func unsupported(_ message: String) -> RuntimeError { .init(.unsupported, message) }
    static func invalidInput(_ message: String) -> RuntimeError { .init(.invalidInput, message) }
    static func internalFailure(_ message: String) -> RuntimeError { .init(.internalFailure, message) }
}
