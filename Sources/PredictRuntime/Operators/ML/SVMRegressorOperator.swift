/// ai.onnx.ml SVMRegressor: Y[n] = Σᵥ coefficients[v] · k(xₙ, vᵥ) + rho[0], [N, 1] float32.
/// With `n_supports` = 0, `coefficients` are the weights of a linear model instead. With
/// `one_class` = 1 the output is 1 where the value is positive and -1 elsewhere.
///
/// onnxruntime reads `post_transform` but never applies it; so neither do we, to give its answers.
enum SVMRegressorOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...1)
        let attributes = context.attributes
        let kernel = try SVMKernel.read(context)
        guard let vectorCount = try attributes.int("n_supports") else {
            throw context.invalid("attribute 'n_supports' is required")
        }
        guard vectorCount >= 0 else { throw context.invalid("attribute 'n_supports' = \(vectorCount) is negative") }
        guard let coefficients = try attributes.floats("coefficients"), !coefficients.isEmpty else {
            throw context.invalid("attribute 'coefficients' is required")
        }
        guard let rho = try attributes.floats("rho"), !rho.isEmpty else {
            throw context.invalid("attribute 'rho' is required")
        }
        let oneClass = try attributes.int("one_class", default: 0) != 0
        _ = try PostTransform.read(context)
        let supportVectors = try attributes.floats("support_vectors") ?? []

        let features: Int
        if vectorCount > 0 {
            guard supportVectors.count % vectorCount == 0, supportVectors.count > 0 else {
                throw context.invalid("attribute 'support_vectors' has \(supportVectors.count) values, not a multiple of 'n_supports' = \(vectorCount)")
            }
            guard coefficients.count == vectorCount else {
                throw context.invalid("attribute 'coefficients' has \(coefficients.count) values; 'n_supports' = \(vectorCount) needs one per support vector")
            }
            features = supportVectors.count / vectorCount
        } else {
            features = coefficients.count
        }
        let input = try FeatureMatrix.checkInput(context, expectedFeatures: features)
        let compiled = SVMRegressorKernel(
            node: context.description, features: features,
            kernel: vectorCount > 0 ? SVMKernelMatrix(kernel, vectors: supportVectors, count: vectorCount, features: features) : nil,
            coefficients: PackedMatrix(coefficients, outputs: 1, features: coefficients.count),
            rho: rho[0], oneClass: oneClass)
        return CompiledNode(kernel: compiled, outputs: [
            OutputType(elementType: .float32, shape: [FeatureMatrix.rowDimension(input), .fixed(1)]),
        ])
    }
}

struct SVMRegressorKernel: Kernel {
    let node: String
    let features: Int
    /// The kernel over the support vectors; nil for a linear model.
    let kernel: SVMKernelMatrix?
    /// One per support vector, or the linear model's weights.
    let coefficients: PackedMatrix
    let rho: Float
    let oneClass: Bool

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = try FeatureMatrix(inputs.required(0), node: node)
        try x.requireFeatures(features, node: node)
        let rows = x.rows
        var out = [Float](repeating: 0, count: rows)
        x.values.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { y in
                guard let input = xs.baseAddress, let output = y.baseAddress else { return }
                if let kernel {
                    let chunk = SVMClassifierKernel.chunkRows
                    var kernelValues = [Float](repeating: 0, count: min(rows, chunk) * kernel.count)
                    kernelValues.withUnsafeMutableBufferPointer { k in
                        var first = 0
                        while first < rows {
                            let count = min(chunk, rows - first)
                            kernel.evaluate(input + first * features, rows: count, into: k.baseAddress!)
                            coefficients.multiply(k.baseAddress!, rows: count, into: output + first)
                            first += count
                        }
                    }
                } else {
                    coefficients.multiply(input, rows: rows, into: output)
                }
                for r in 0..<rows {
                    let value = y[r] + rho
                    y[r] = oneClass ? (value > 0 ? 1 : -1) : value
                }
            }
        }
        return [Tensor(shape: [rows, 1], floats: out)]
    }
}
