/// Reads declared graph input and output types.
enum ValueInfoDecoder {
    /// A graph input must be a tensor of a supported element type with a known rank, so calls
    /// can be checked before anything runs.
    static func input(_ value: Onnx_ValueInfoProto) throws -> TensorInfo {
        guard case .tensorType(let tensorType)? = value.type.value else {
            throw RuntimeError.unsupported("graph input '\(value.name)' is not a tensor; only tensor inputs are supported")
        }
        guard let type = ElementType(onnx: tensorType.elemType) else {
            throw RuntimeError.unsupported("graph input '\(value.name)' has element type \(ElementType.onnxName(tensorType.elemType)), which this runtime does not support")
        }
        guard tensorType.hasShape else {
            throw RuntimeError.invalidModel("graph input '\(value.name)' declares no shape; a rank is required")
        }
        return TensorInfo(name: value.name, elementType: type, shape: try dimensions(tensorType.shape, of: value.name))
    }

    static func dimensions(_ shape: Onnx_TensorShapeProto, of name: String) throws -> [Dimension] {
        try shape.dim.map { dim in
            switch dim.value {
            case .dimValue(let n)?:
                guard n >= 0, n <= Int32.max else { throw RuntimeError.invalidModel("'\(name)' declares dimension \(n)") }
                return .fixed(Int(n))
            case .dimParam(let p)?:
                return .dynamic(name: p.isEmpty ? nil : p)
            case nil:
                return .dynamic(name: nil)
            }
        }
    }

    /// Whether a declared output type is compatible with what the graph computes. ZipMap's
    /// declared sequence-of-maps output is served as a probability tensor, so it is accepted.
    static func check(declared value: Onnx_ValueInfoProto, computed: TensorInfo) throws {
        switch value.type.value {
        case .tensorType(let t)?:
            if t.elemType != 0, ElementType(onnx: t.elemType) != computed.elementType {
                throw RuntimeError.invalidModel("graph output '\(value.name)' is declared \(ElementType.onnxName(t.elemType)) but computes \(computed.elementType.rawValue)")
            }
        case .sequenceType?, .mapType?:
            guard computed.classLabels != nil else {
                throw RuntimeError.unsupported("graph output '\(value.name)' is a sequence or map that does not come from ZipMap")
            }
        case nil:
            break
        }
    }
}
