import PredictRuntime
import PredictServing

/// The Open Inference Protocol datatype names and which of them this server computes with.
enum WireDatatype {
    /// The datatypes the runtime has, in the order error messages list them.
    static let supported: [ElementType] = [.float32, .float64, .int64, .int32, .string, .bool]

    /// Datatypes the protocol defines but the runtime does not compute with.
    static let unsupported: Set<String> = ["UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "FP16", "BF16"]

    /// The element type a tensor's `datatype` names; INVALID_ARGUMENT naming `tensor` when the
    /// protocol has no such datatype or this server does not support it.
    static func elementType(_ datatype: String, tensor: String) throws(ServingError) -> ElementType {
        if let type = ElementType(rawValue: datatype) { return type }
        let list = supported.map(\.rawValue).joined(separator: ", ")
        if unsupported.contains(datatype) {
            throw ServingError(.invalidArgument, "\(tensor): datatype \(datatype) is not supported by this server; supported: \(list)")
        }
        throw ServingError(.invalidArgument, "\(tensor): unknown datatype '\(datatype)'; supported: \(list)")
    }
}
