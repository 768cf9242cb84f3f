import Foundation

/// Reads the attributes of the tree operators that need more than `NodeAttributes` offers:
/// list-or-tensor pairs (`nodes_values` / `nodes_values_as_tensor`), tensors whose element type
/// must match the computation type, and the uint8 tensor of opset 5 `nodes_modes`.
struct TreeAttributeReader {
    let context: NodeContext
    /// The type onnxruntime unpacks tensor attributes as; another type fails to load there.
    let precision: TreeEnsembleDefinition.Precision

    var attributes: NodeAttributes { context.attributes }

    func ints(_ name: String) throws -> [Int64] { try attributes.ints(name) ?? [] }

    func requiredInts(_ name: String) throws -> [Int64] {
        guard let values = try attributes.ints(name) else { throw context.invalid("attribute '\(name)' is required") }
        return values
    }

    /// A float list attribute, or (from opset 3 on) its `_as_tensor` twin; not both.
    func values(_ name: String, tensorName: String?) throws -> [Double]? {
        let list = try attributes.floats(name)
        guard let tensorName else { return list.map { $0.map(Double.init) } }
        let tensor = try self.tensor(tensorName)
        if let list, let tensor, !list.isEmpty, !tensor.isEmpty {
            throw context.invalid("attributes '\(name)' and '\(tensorName)' are both set; only one may be")
        }
        if let tensor, !tensor.isEmpty { return tensor }
        return list.map { $0.map(Double.init) }
    }

    /// A float32 or float64 tensor attribute, flattened. Its type must be the computation type.
    /// A tensor without dimensions counts as absent, as in onnxruntime.
    func tensor(_ name: String) throws -> [Double]? {
        guard let tensor = try attributes.tensor(name) else { return nil }
        guard !tensor.shape.isEmpty else { return [] }
        switch (tensor.storage, precision) {
        case (.float32(let v), .float): return v.map(Double.init)
        case (.float64(let v), .double): return v
        default:
            let expected = precision == .float ? ElementType.float32 : .float64
            throw context.invalid("attribute '\(name)' is a \(tensor.elementType.rawValue) tensor; with this input it must be \(expected.rawValue) (onnxruntime computes these trees in \(expected.rawValue))")
        }
    }

    /// A tensor attribute of element type UINT8 (opset 5 `nodes_modes`), which the runtime's
    /// tensor decoder does not cover. Also accepts INT32 data, the typed field UINT8 uses.
    func uint8Tensor(_ name: String) throws -> [UInt8]? {
        guard let proto = try attributes.tensorProto(name) else { return nil }
        let what = "attribute '\(name)'"
        guard proto.dataType == 2 else {
            throw context.invalid("\(what) must be a UINT8 tensor but is \(ElementType.onnxName(proto.dataType))")
        }
        guard proto.dataLocation != .external, proto.externalData.isEmpty else {
            throw context.unsupported("\(what) keeps its data in an external file")
        }
        let count = proto.dims.reduce(Int64(1)) { $0 &* max($1, 0) }
        let values: [UInt8]
        if proto.hasRawData {
            values = [UInt8](proto.rawData)
        } else {
            values = try proto.int32Data.map { v in
                guard let b = UInt8(exactly: v) else { throw context.invalid("\(what) holds \(v), not a uint8") }
                return b
            }
        }
        guard Int64(values.count) == count else {
            throw context.invalid("\(what) has dims \(proto.dims) but holds \(values.count) values")
        }
        return values
    }
}
