/// The element types the runtime computes with. Raw values are the Open Inference Protocol
/// datatype names, which is how metadata and errors spell them.
public enum ElementType: String, Sendable, Hashable, CaseIterable {
    case float32 = "FP32"
    case float64 = "FP64"
    case int64 = "INT64"
    case int32 = "INT32"
    case string = "BYTES"
    case bool = "BOOL"

    /// Maps an ONNX `TensorProto.DataType` number; nil for types the runtime does not support.
    init?(onnx dataType: Int32) {
        switch dataType {
        case 1: self = .float32
        case 11: self = .float64
        case 7: self = .int64
        case 6: self = .int32
        case 8: self = .string
        case 9: self = .bool
        default: return nil
        }
    }

    /// ONNX's name for a `TensorProto.DataType` number, for error messages.
    static func onnxName(_ dataType: Int32) -> String {
        let names = [
            "UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING",
            "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16",
        ]
        return names.indices.contains(Int(dataType)) ? names[Int(dataType)] : "type \(dataType)"
    }

    var isNumeric: Bool { self != .string && self != .bool }
    var isFloatingPoint: Bool { self == .float32 || self == .float64 }
}
