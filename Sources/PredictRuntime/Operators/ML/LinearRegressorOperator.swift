/// ai.onnx.ml LinearRegressor: Y = X · coefficientsᵀ + intercepts, [N, targets] float32.
///
/// As in onnxruntime, `post_transform` transforms each row of several targets, while a single
/// target is changed by PROBIT only.
enum LinearRegressorOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...1)
        let attributes = context.attributes
        guard let coefficients = try attributes.floats("coefficients"), !coefficients.isEmpty else {
            throw context.invalid("attribute 'coefficients' is required")
        }
        let targets = try attributes.int("targets", default: 1)
        guard targets >= 1 else { throw context.invalid("attribute 'targets' = \(targets) must be at least 1") }
        guard coefficients.count % targets == 0 else {
            throw context.invalid("attribute 'coefficients' has \(coefficients.count) values, not a multiple of 'targets' = \(targets)")
        }
        let intercepts = try attributes.floats("intercepts") ?? []
        guard intercepts.isEmpty || intercepts.count == targets else {
            throw context.invalid("attribute 'intercepts' has \(intercepts.count) values; 'targets' = \(targets) needs one per target")
        }
        let features = coefficients.count / targets
        let postTransform = try PostTransform.read(context)
        let input = try FeatureMatrix.checkInput(context, expectedFeatures: features)
        let kernel = LinearRegressorKernel(
            node: context.description, features: features, targets: targets,
            coefficients: PackedMatrix(coefficients, outputs: targets, features: features),
            intercepts: intercepts.isEmpty ? [Float](repeating: 0, count: targets) : intercepts,
            postTransform: postTransform)
        return CompiledNode(kernel: kernel, outputs: [
            OutputType(elementType: .float32, shape: [FeatureMatrix.rowDimension(input), .fixed(targets)]),
        ])
    }
}

struct LinearRegressorKernel: Kernel {
    let node: String
    let features: Int
    let targets: Int
    let coefficients: PackedMatrix
    let intercepts: [Float]
    let postTransform: PostTransform

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = try FeatureMatrix(inputs.required(0), node: node)
        try x.requireFeatures(features, node: node)
        let rows = x.rows
        var out = x.values.withUnsafeBufferPointer { coefficients.affine($0, bias: intercepts) }
        out.withUnsafeMutableBufferPointer { postTransform.applyRows($0, width: targets) }
        return [Tensor(shape: [rows, targets], floats: out)]
    }
}
