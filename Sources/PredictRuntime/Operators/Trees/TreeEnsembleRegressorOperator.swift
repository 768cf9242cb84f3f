/// ai.onnx.ml TreeEnsembleRegressor (opsets 1 and 3): [N, n_targets] float32 scores per row,
/// with onnxruntime's semantics. Integer inputs are compared as float32 (onnxruntime 1.32 has
/// no integer regressor kernel; its classifier compares integers that way).
enum TreeEnsembleRegressorOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...1)
        let input = try context.input(0, of: [.float32, .float64, .int64, .int32])
        try TreeEnsembleShapes.checkInputRank(context, input)
        let precision: TreeEnsembleDefinition.Precision = input.elementType == .float64 ? .double : .float
        let (definition, _) = try TreeEnsembleDefinition.parseClassic(context, classifier: false, precision: precision)
        let kernel = try TreeEnsembleKernel(context, definition: definition, role: .regressor)
        return CompiledNode(kernel: kernel, outputs: [
            OutputType(elementType: .float32, shape: [TreeEnsembleShapes.batch(input), .fixed(definition.targetCount)]),
        ])
    }
}
