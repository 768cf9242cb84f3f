/// ai.onnx.ml TreeEnsemble (opset 5): [N, n_targets] scores in the input's type (float32 or
/// float64), with onnxruntime's semantics, including its numbering of `post_transform`.
enum TreeEnsembleOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...1)
        let input = try context.input(0, of: [.float32, .float64])
        try TreeEnsembleShapes.checkInputRank(context, input)
        let precision: TreeEnsembleDefinition.Precision = input.elementType == .float64 ? .double : .float
        let definition = try TreeEnsembleDefinition.parseOpsetFive(context, precision: precision)
        let kernel = try TreeEnsembleKernel(context, definition: definition, role: .ensemble)
        return CompiledNode(kernel: kernel, outputs: [
            OutputType(elementType: input.elementType, shape: [TreeEnsembleShapes.batch(input), .fixed(definition.targetCount)]),
        ])
    }
}
