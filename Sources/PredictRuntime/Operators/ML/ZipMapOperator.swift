/// ai.onnx.ml ZipMap, served as its input: the [N, C] float32 probabilities (a [C] input is one
/// row), with the class of each column in the output's `classLabels` metadata instead of one
/// map per row. Column j holds the probability of label j in `classlabels_int64s` or
/// `classlabels_strings` order.
enum ZipMapOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...1)
        let labels = try ClassLabelsAttribute.require(context, ints: "classlabels_int64s")
        let input = try context.input(0, of: [.float32])
        if let shape = input.shape {
            guard shape.count == 1 || shape.count == 2 else {
                throw context.invalid("input '\(input.name)' has shape \(input.shapeDescription); rank 1 or 2 is required")
            }
            if let columns = shape.last?.fixedValue, columns != labels.count {
                throw context.invalid("input '\(input.name)' has \(columns) columns (shape \(input.shapeDescription)) but \(labels.count) class labels")
            }
        }
        return CompiledNode(
            kernel: ZipMapKernel(node: context.description, classes: labels.count),
            outputs: [OutputType(elementType: .float32, shape: [FeatureMatrix.rowDimension(input), .fixed(labels.count)], classLabels: labels)])
    }
}

struct ZipMapKernel: Kernel {
    let node: String
    let classes: Int

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0)
        guard let layout = FeatureMatrix.layout(x.shape) else {
            throw RuntimeError.invalidInput("\(node): the input must have rank 1 or 2; got shape \(x.shape)")
        }
        guard layout.features == classes else {
            throw RuntimeError.invalidInput("\(node): expected \(classes) columns (one per class label), got \(layout.features)")
        }
        return [x.reshaped([layout.rows, classes])]
    }
}
