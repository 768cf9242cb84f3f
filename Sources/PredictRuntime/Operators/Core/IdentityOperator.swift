/// Identity: passes its input through (LightGBM exports leave these in; they still run).
enum IdentityOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...1)
        let input = try context.input(0)
        return CompiledNode(kernel: IdentityKernel(), outputs: [OutputType(elementType: input.elementType, shape: input.shape, classLabels: input.classLabels)])
    }
}

struct IdentityKernel: Kernel {
    func run(_ inputs: [Tensor?]) throws -> [Tensor] { [try inputs.required(0)] }
}
