import Foundation
@testable import PredictRuntime

/// Builds small ONNX models in code, for tests of loading rules and single operators.
struct GraphBuilder {
    var model = Onnx_ModelProto()

    init(opsets: [String: Int64] = ["": 17, "ai.onnx.ml": 3], irVersion: Int64 = 8) {
        model.irVersion = irVersion
        model.opsetImport = opsets.sorted { $0.key < $1.key }.map { domain, version in
            var o = Onnx_OperatorSetIdProto()
            o.domain = domain
            o.version = version
            return o
        }
        model.graph.name = "test"
    }

    /// Declares a graph input; nil dimensions are dynamic ("N" for the first, unnamed after).
    mutating func input(_ name: String, _ type: ElementType, _ dims: [Int?]) {
        model.graph.input.append(Self.valueInfo(name, type, dims))
    }

    mutating func output(_ name: String, _ type: ElementType? = nil) {
        var v = Onnx_ValueInfoProto()
        v.name = name
        if let type {
            var t = Onnx_TypeProto.Tensor()
            t.elemType = Self.onnxCode(type)
            v.type.tensorType = t
        }
        model.graph.output.append(v)
    }

    mutating func initializer(_ name: String, _ tensor: Tensor) {
        var t = Self.tensorProto(tensor)
        t.name = name
        model.graph.initializer.append(t)
    }

    mutating func node(_ op: String, _ inputs: [String], _ outputs: [String], domain: String = "", name: String? = nil, attributes: [Onnx_AttributeProto] = []) {
        var n = Onnx_NodeProto()
        n.opType = op
        n.domain = domain
        n.input = inputs
        n.output = outputs
        n.name = name ?? "\(op)_\(model.graph.node.count)"
        n.attribute = attributes
        model.graph.node.append(n)
    }

    func load() throws -> InferenceModel {
        try InferenceModel(serialized: try model.serializedData())
    }

    static func valueInfo(_ name: String, _ type: ElementType, _ dims: [Int?]) -> Onnx_ValueInfoProto {
        var v = Onnx_ValueInfoProto()
        v.name = name
        var t = Onnx_TypeProto.Tensor()
        t.elemType = onnxCode(type)
        t.shape.dim = dims.enumerated().map { i, d in
            var dim = Onnx_TensorShapeProto.Dimension()
            if let d { dim.dimValue = Int64(d) } else if i == 0 { dim.dimParam = "N" }
            return dim
        }
        v.type.tensorType = t
        return v
    }

    static func onnxCode(_ type: ElementType) -> Int32 {
        switch type {
        case .float32: 1
        case .float64: 11
        case .int64: 7
        case .int32: 6
        case .string: 8
        case .bool: 9
        }
    }

    static func tensorProto(_ tensor: Tensor) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.dims = tensor.shape.map { Int64($0) }
        t.dataType = onnxCode(tensor.elementType)
        switch tensor.storage {
        case .float32(let v): t.floatData = v
        case .float64(let v): t.doubleData = v
        case .int64(let v): t.int64Data = v
        case .int32(let v): t.int32Data = v
        case .string(let v): t.stringData = v.map { Data($0.utf8) }
        case .bool(let v): t.int32Data = v.map { $0 ? 1 : 0 }
        }
        return t
    }
}

/// Attribute constructors for `GraphBuilder.node`.
enum Attr {
    static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto(); a.name = name; a.type = .int; a.i = Int64(value); return a
    }
    static func float(_ name: String, _ value: Float) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto(); a.name = name; a.type = .float; a.f = value; return a
    }
    static func string(_ name: String, _ value: String) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto(); a.name = name; a.type = .string; a.s = Data(value.utf8); return a
    }
    static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto(); a.name = name; a.type = .ints; a.ints = values.map { Int64($0) }; return a
    }
    static func floats(_ name: String, _ values: [Float]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto(); a.name = name; a.type = .floats; a.floats = values; return a
    }
}

/// Runs `body` and returns the RuntimeError it throws, or nil if it throws nothing.
func runtimeError(_ body: () throws -> Void) -> RuntimeError? {
    do {
        try body()
        return nil
    } catch let error as RuntimeError {
        return error
    } catch {
        return RuntimeError(.internalFailure, "unexpected error type: \(error)")
    }
}
