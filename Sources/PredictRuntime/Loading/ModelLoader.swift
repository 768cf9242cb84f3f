import Foundation
import SwiftProtobuf

/// Turns a serialized ONNX model into an execution plan, validating everything that can be
/// known before the first call: the protobuf, the opsets, every node's operator, version and
/// attributes, the initializers, the wiring and order of the graph, and the types of all values.
enum ModelLoader {
    static func load(_ serialized: Data) throws -> ExecutionPlan {
        let model: Onnx_ModelProto
        do {
            var options = BinaryDecodingOptions()
            options.messageDepthLimit = 64
            model = try Onnx_ModelProto(serializedBytes: serialized, options: options)
        } catch {
            throw RuntimeError.invalidModel("not a valid ONNX model file (protobuf decoding failed: \(error))")
        }
        guard model.hasGraph else { throw RuntimeError.invalidModel("the model has no graph") }
        let opsets = try importedOpsets(model)
        return try build(model.graph, opsets: opsets)
    }

    /// The opset version imported for each canonical domain.
    private static func importedOpsets(_ model: Onnx_ModelProto) throws -> [String: Int] {
        var opsets: [String: Int] = [:]
        for entry in model.opsetImport {
            let domain = canonical(entry.domain)
            guard entry.version >= 1, let version = Int(exactly: entry.version) else {
                throw RuntimeError.invalidModel("domain '\(domain)' imports invalid opset \(entry.version)")
            }
            // skl2onnx imports the default domain both as "" and "ai.onnx"; only a conflict is wrong.
            if let earlier = opsets[domain], earlier != version {
                throw RuntimeError.invalidModel("domain '\(domain)' is imported at opsets \(earlier) and \(version)")
            }
            opsets[domain] = version
        }
        // Models older than IR version 3 carry no imports and mean opset 1 of the default domain.
        if model.opsetImport.isEmpty && model.irVersion < 3 { opsets[OperatorRegistry.defaultDomain] = 1 }
        return opsets
    }

    private static func canonical(_ domain: String) -> String {
        domain.isEmpty ? OperatorRegistry.defaultDomain : domain
    }

    private static func build(_ graph: Onnx_GraphProto, opsets: [String: Int]) throws -> ExecutionPlan {
        guard graph.sparseInitializer.isEmpty else {
            throw RuntimeError.unsupported("the graph has sparse initializers, which are not supported")
        }
        var values: [String: TensorInfo] = [:]
        var constants: [String: Tensor] = [:]
        for initializer in graph.initializer {
            guard !initializer.name.isEmpty else { throw RuntimeError.invalidModel("an initializer has no name") }
            guard constants[initializer.name] == nil else {
                throw RuntimeError.invalidModel("initializer '\(initializer.name)' is defined twice")
            }
            let tensor = try TensorProtoDecoder.decode(initializer, what: "initializer '\(initializer.name)'")
            constants[initializer.name] = tensor
            values[initializer.name] = TensorInfo(name: initializer.name, elementType: tensor.elementType, shape: tensor.shape.map { .fixed($0) })
        }

        // Before IR version 4 initializers are also listed as inputs; those are not call inputs.
        var inputs: [TensorInfo] = []
        for input in graph.input where constants[input.name] == nil {
            guard !input.name.isEmpty else { throw RuntimeError.invalidModel("a graph input has no name") }
            guard values[input.name] == nil else { throw RuntimeError.invalidModel("graph input '\(input.name)' is declared twice") }
            let info = try ValueInfoDecoder.input(input)
            inputs.append(info)
            values[input.name] = info
        }
        guard !inputs.isEmpty else { throw RuntimeError.invalidModel("the graph has no inputs") }
        guard !graph.output.isEmpty else { throw RuntimeError.invalidModel("the graph has no outputs") }

        let order = try topologicalOrder(graph.node, available: Set(values.keys))
        var steps: [PlannedNode] = []
        for index in order {
            let node = graph.node[index]
            let compiled = try compile(node, index: index, opsets: opsets, values: values, constants: constants)
            for (output, type) in zip(node.output, compiled.outputs) where !output.isEmpty {
                guard values[output] == nil else {
                    throw RuntimeError.invalidModel("value '\(output)' is produced twice (node '\(displayName(node, index))')")
                }
                values[output] = TensorInfo(name: output, elementType: type.elementType, shape: type.shape, classLabels: type.classLabels)
            }
            steps.append(PlannedNode(name: displayName(node, index), kernel: compiled.kernel, inputs: node.input, outputs: node.output))
        }

        var outputs: [TensorInfo] = []
        for output in graph.output {
            guard let computed = values[output.name] else {
                throw RuntimeError.invalidModel("graph output '\(output.name)' is not produced by any node")
            }
            try ValueInfoDecoder.check(declared: output, computed: computed)
            outputs.append(computed)
        }
        return try ExecutionPlan(inputs: inputs, outputs: outputs, constants: constants, nodes: steps)
    }

    private static func compile(
        _ node: Onnx_NodeProto, index: Int, opsets: [String: Int],
        values: [String: TensorInfo], constants: [String: Tensor]
    ) throws -> CompiledNode {
        let domain = canonical(node.domain)
        let name = displayName(node, index)
        guard let opset = opsets[domain] else {
            throw RuntimeError.invalidModel("node '\(name)' (\(domain) \(node.opType)) uses domain '\(domain)', which the model does not import")
        }
        let identity = "node '\(name)' (\(domain) \(node.opType), opset \(opset))"
        guard let newest = OperatorRegistry.newestKnownOpset[domain] else {
            throw RuntimeError.unsupported("\(identity): domain '\(domain)' is not supported (supported: ai.onnx, ai.onnx.ml)")
        }
        guard opset <= newest else {
            throw RuntimeError.unsupported("\(identity): opset \(opset) of '\(domain)' is newer than this runtime supports (\(newest))")
        }
        guard let definition = OperatorRegistry.definition(domain: domain, opType: node.opType) else {
            throw RuntimeError.unsupported("\(identity): operator \(node.opType) is not supported in domain \(domain)")
        }
        guard definition.opsets.contains(opset) else {
            throw RuntimeError.unsupported("\(identity): \(node.opType) is supported for \(domain) opsets \(definition.opsets.lowerBound) to \(definition.opsets.upperBound) only")
        }
        let attributes = try NodeAttributes(node, context: identity)
        let context = NodeContext(
            name: name, domain: domain, opType: node.opType, opset: opset, attributes: attributes,
            inputs: node.input.map { $0.isEmpty ? nil : values[$0] },
            constants: node.input.map { $0.isEmpty ? nil : constants[$0] },
            outputCount: node.output.count)
        let compiled = try definition.compile(context)
        let unused = attributes.unused
        guard unused.isEmpty else {
            throw RuntimeError.unsupported("\(identity): attribute\(unused.count > 1 ? "s" : "") \(unused.map { "'\($0)'" }.joined(separator: ", ")) not supported")
        }
        guard compiled.outputs.count >= node.output.count else {
            throw RuntimeError.invalidModel("\(identity): has \(node.output.count) outputs; the operator produces \(compiled.outputs.count)")
        }
        return compiled
    }

    /// Orders nodes so every value is produced before it is read (Kahn's algorithm). Fails on
    /// an input that nothing defines and on cycles.
    private static func topologicalOrder(_ nodes: [Onnx_NodeProto], available: Set<String>) throws -> [Int] {
        var producer: [String: Int] = [:]
        for (i, node) in nodes.enumerated() {
            for output in node.output where !output.isEmpty {
                if producer[output] != nil || available.contains(output) {
                    throw RuntimeError.invalidModel("value '\(output)' is produced twice (node '\(displayName(node, i))')")
                }
                producer[output] = i
            }
        }
        var waiting = [Int](repeating: 0, count: nodes.count)
        var consumers: [[Int]] = Array(repeating: [], count: nodes.count)
        for (i, node) in nodes.enumerated() {
            for input in Set(node.input) where !input.isEmpty {
                if let p = producer[input] {
                    waiting[i] += 1
                    consumers[p].append(i)
                } else if !available.contains(input) {
                    throw RuntimeError.invalidModel("node '\(displayName(node, i))' (\(node.opType)) reads '\(input)', which no input, initializer or node defines")
                }
            }
        }
        var ready = (0..<nodes.count).filter { waiting[$0] == 0 }.reversed() as [Int]
        var order: [Int] = []
        while let i = ready.popLast() {
            order.append(i)
            for c in consumers[i].reversed() {
                waiting[c] -= 1
                if waiting[c] == 0 { ready.append(c) }
            }
        }
        guard order.count == nodes.count else {
            let stuck = (0..<nodes.count).first { waiting[$0] > 0 }.map { displayName(nodes[$0], $0) } ?? "?"
            throw RuntimeError.invalidModel("the graph has a cycle (through node '\(stuck)')")
        }
        return order
    }

    private static func displayName(_ node: Onnx_NodeProto, _ index: Int) -> String {
        node.name.isEmpty ? "#\(index) \(node.opType)" : node.name
    }
}
