/// Typed access to a node's attributes during loading. Every attribute a kernel reads (or
/// explicitly ignores) is marked used; the loader rejects a node whose other attributes were
/// never read, so an attribute we do not understand is a load error, not a silently wrong answer.
final class NodeAttributes {
    private let byName: [String: Onnx_AttributeProto]
    private var used: Set<String> = []
    private let context: String

    init(_ node: Onnx_NodeProto, context: String) throws {
        var byName: [String: Onnx_AttributeProto] = [:]
        for attribute in node.attribute {
            guard !attribute.name.isEmpty else { throw RuntimeError.invalidModel("\(context): an attribute has no name") }
            guard byName[attribute.name] == nil else {
                throw RuntimeError.invalidModel("\(context): attribute '\(attribute.name)' appears twice")
            }
            if attribute.hasRefAttrName {
                throw RuntimeError.unsupported("\(context): attribute '\(attribute.name)' refers to a function attribute, which is not supported")
            }
            byName[attribute.name] = attribute
        }
        self.byName = byName
        self.context = context
    }

    var names: [String] { byName.keys.sorted() }
    var unused: [String] { byName.keys.filter { !used.contains($0) }.sorted() }

    func has(_ name: String) -> Bool { byName[name] != nil }

    /// Marks attributes as understood without reading them (ones that do not change results).
    func ignore(_ names: String...) { used.formUnion(names) }

    func int(_ name: String) throws -> Int? {
        guard let a = try take(name, .int) else { return nil }
        guard let value = Int(exactly: a.i) else { throw bad(name, "is out of range") }
        return value
    }

    func int(_ name: String, default value: Int) throws -> Int { try int(name) ?? value }

    func float(_ name: String) throws -> Float? { try take(name, .float)?.f }

    func float(_ name: String, default value: Float) throws -> Float { try float(name) ?? value }

    func string(_ name: String) throws -> String? {
        guard let a = try take(name, .string) else { return nil }
        return String(decoding: a.s, as: UTF8.self)
    }

    func string(_ name: String, default value: String) throws -> String { try string(name) ?? value }

    func ints(_ name: String) throws -> [Int64]? { try take(name, .ints)?.ints }

    func floats(_ name: String) throws -> [Float]? { try take(name, .floats)?.floats }

    func strings(_ name: String) throws -> [String]? {
        try take(name, .strings)?.strings.map { String(decoding: $0, as: UTF8.self) }
    }

    func tensor(_ name: String) throws -> Tensor? {
        guard let a = try take(name, .tensor) else { return nil }
        return try TensorProtoDecoder.decode(a.t, what: "\(context): attribute '\(name)'")
    }

    /// A tensor attribute as stored, for element types `tensor(_:)` does not decode (opset 5
    /// TreeEnsemble's UINT8 `nodes_modes`).
    func tensorProto(_ name: String) throws -> Onnx_TensorProto? {
        try take(name, .tensor)?.t
    }

    /// An enum-like string attribute, checked against the values the kernel implements.
    func choice(_ name: String, default value: String, allowed: [String]) throws -> String {
        let v = try string(name, default: value)
        guard allowed.contains(v) else {
            throw RuntimeError.unsupported("\(context): attribute '\(name)' = '\(v)' is not supported (supported: \(allowed.joined(separator: ", ")))")
        }
        return v
    }

    func bad(_ name: String, _ problem: String) -> RuntimeError {
        .invalidModel("\(context): attribute '\(name)' \(problem)")
    }

    private func take(_ name: String, _ type: Onnx_AttributeProto.AttributeType) throws -> Onnx_AttributeProto? {
        guard let a = byName[name] else { return nil }
        used.insert(name)
        let actual = a.type == .undefined ? Self.inferredType(a) : a.type
        guard actual == type else {
            throw RuntimeError.invalidModel("\(context): attribute '\(name)' should be \(type) but is \(actual)")
        }
        return a
    }

    /// Files written before IR version 2 may leave `type` unset; infer it from the filled field.
    private static func inferredType(_ a: Onnx_AttributeProto) -> Onnx_AttributeProto.AttributeType {
        if a.hasF { return .float }
        if a.hasI { return .int }
        if a.hasS { return .string }
        if a.hasT { return .tensor }
        if a.hasG { return .graph }
        if !a.floats.isEmpty { return .floats }
        if !a.ints.isEmpty { return .ints }
        if !a.strings.isEmpty { return .strings }
        if !a.tensors.isEmpty { return .tensors }
        return .undefined
    }
}
