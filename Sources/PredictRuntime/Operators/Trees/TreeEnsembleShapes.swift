/// Shape rules shared by the tree operators.
enum TreeEnsembleShapes {
    /// Requires a 2-D input when its rank is declared, as onnxruntime's shape inference does.
    static func checkInputRank(_ context: NodeContext, _ input: TensorInfo) throws {
        if let shape = input.shape, shape.count != 2 {
            throw context.invalid("input 0 ('\(input.name)') has rank \(shape.count); tree ensembles take [N, F]")
        }
    }

    /// The batch dimension of the outputs: the input's first dimension when declared.
    static func batch(_ input: TensorInfo) -> Dimension {
        input.shape?.first ?? .dynamic(name: nil)
    }
}
