/// ai.onnx.ml TreeEnsembleClassifier (opsets 1 and 3): a label [N] (int64 or string) and class
/// scores [N, classes] (float32) per row, with onnxruntime's semantics.
enum TreeEnsembleClassifierOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...2)
        let input = try context.input(0, of: [.float32, .float64, .int64, .int32])
        try TreeEnsembleShapes.checkInputRank(context, input)
        let precision: TreeEnsembleDefinition.Precision = input.elementType == .float64 ? .double : .float
        let (definition, parsedFacts) = try TreeEnsembleDefinition.parseClassic(context, classifier: true, precision: precision)
        guard let facts = parsedFacts else { throw RuntimeError.internalFailure("\(context.description): classifier facts missing") }
        let kernel = try TreeEnsembleKernel(context, definition: definition, role: .classifier(facts))
        let batch = TreeEnsembleShapes.batch(input)
        return CompiledNode(kernel: kernel, outputs: [
            OutputType(elementType: facts.labels.elementType, shape: [batch], classLabels: facts.labels),
            OutputType(elementType: .float32, shape: [batch, .fixed(definition.targetCount)], classLabels: facts.labels),
        ])
    }
}
