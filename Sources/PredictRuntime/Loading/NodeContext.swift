/// Everything a kernel factory may consult while compiling one node: its identity for error
/// messages, the opset in force, its attributes, and what is known of its inputs.
struct NodeContext {
    let name: String
    /// Canonical domain: "ai.onnx" for the default domain.
    let domain: String
    let opType: String
    /// The opset version the model imports for this node's domain.
    let opset: Int
    let attributes: NodeAttributes
    /// Input types (nil where an optional input is omitted with an empty name).
    let inputs: [TensorInfo?]
    /// Input values known at load time (initializers), else nil.
    let constants: [Tensor?]
    let outputCount: Int

    /// "node 'name' (ai.onnx.ml TreeEnsembleClassifier, opset 3)", the prefix of every load error.
    var description: String { "node '\(name)' (\(domain) \(opType), opset \(opset))" }

    func invalid(_ message: String) -> RuntimeError { .invalidModel("\(description): \(message)") }
    func unsupported(_ message: String) -> RuntimeError { .unsupported("\(description): \(message)") }

    /// A required input's type.
    func input(_ index: Int) throws -> TensorInfo {
        guard index < inputs.count, let info = inputs[index] else {
            throw invalid("input \(index) is required")
        }
        return info
    }

    /// A required input whose value must be known at load time (shapes, axes, bounds).
    func constant(_ index: Int, _ role: String) throws -> Tensor {
        guard index < constants.count, let value = constants[index] else {
            throw unsupported("the \(role) (input \(index)) must be an initializer; computed \(role)s are not supported")
        }
        return value
    }

    func expectInputs(_ range: ClosedRange<Int>) throws {
        guard range.contains(inputs.count) else {
            throw invalid("has \(inputs.count) inputs; expected \(range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)")")
        }
    }

    func expectOutputs(_ range: ClosedRange<Int>) throws {
        guard range.contains(outputCount) else {
            throw invalid("has \(outputCount) outputs; expected \(range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)")")
        }
    }

    /// Requires an input of one of the given element types and returns its info.
    func input(_ index: Int, of types: Set<ElementType>) throws -> TensorInfo {
        let info = try input(index)
        guard types.contains(info.elementType) else {
            let allowed = types.map(\.rawValue).sorted().joined(separator: ", ")
            throw unsupported("input \(index) ('\(info.name)') is \(info.elementType.rawValue); supported: \(allowed)")
        }
        return info
    }
}

/// The result of compiling a node: its kernel and the type of each output.
struct CompiledNode {
    let kernel: any Kernel
    let outputs: [OutputType]
}

/// What the loader learns about one node output before the model ever runs.
struct OutputType {
    var elementType: ElementType
    var shape: [Dimension]?
    var classLabels: ClassLabels? = nil
}
