/// Sum of one or more tensors with NumPy broadcasting (skl2onnx's one-vs-rest graphs use it).
enum SumOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        guard !context.inputs.isEmpty else { throw context.invalid("needs at least one input") }
        try context.expectOutputs(1...1)
        context.attributes.ignore("consumed_inputs")
        let infos = try context.inputs.indices.map { try context.input($0, of: [.float32, .float64, .int64, .int32]) }
        guard infos.allSatisfy({ $0.elementType == infos[0].elementType }) else {
            throw context.invalid("inputs mix element types")
        }
        let shape = infos.dropFirst().reduce(infos[0].shape) { Broadcasting.shape($0, $1.shape) }
        return CompiledNode(kernel: SumKernel(), outputs: [OutputType(elementType: infos[0].elementType, shape: shape)])
    }
}

struct SumKernel: Kernel {
    private let add = BinaryKernel(function: .add)

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        var total = try inputs.required(0)
        for i in 1..<inputs.count {
            total = try add.run([total, try inputs.required(i)])[0]
        }
        return [total]
    }
}
