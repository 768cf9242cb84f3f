/// ai.onnx.ml LinearClassifier: scores = X · coefficientsᵀ + intercepts, one row of
/// coefficients per class; the label is the class of the first maximum raw score.
///
/// A single row of coefficients is a binary model: its label is the second class when the
/// score is positive, and with two class labels the scores become two columns
/// ([1 - s, s], after the logistic function for LOGISTIC), as in onnxruntime.
enum LinearClassifierOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...2)
        let attributes = context.attributes
        attributes.ignore("multi_class")  // onnxruntime computes the same scores either way
        guard let coefficients = try attributes.floats("coefficients"), !coefficients.isEmpty else {
            throw context.invalid("attribute 'coefficients' is required")
        }
        guard let intercepts = try attributes.floats("intercepts"), !intercepts.isEmpty else {
            throw context.invalid("attribute 'intercepts' is required (one per class)")
        }
        let classes = intercepts.count
        guard coefficients.count % classes == 0 else {
            throw context.invalid("attribute 'coefficients' has \(coefficients.count) values, not a multiple of the \(classes) classes given by 'intercepts'")
        }
        let features = coefficients.count / classes
        let postTransform = try PostTransform.read(context)
        let declared = try ClassLabelsAttribute.read(context, ints: "classlabels_ints")

        let labels: ClassLabels
        let twoColumns: Bool
        if classes == 1 {
            if let declared, declared.count != 2 {
                throw context.invalid("a single row of 'coefficients' is a binary model, which needs exactly 2 class labels; got \(declared.count)")
            }
            labels = declared ?? .int64([0, 1])
            twoColumns = declared != nil
            if twoColumns && postTransform == .probit {
                throw context.unsupported("attribute 'post_transform' = 'PROBIT' on a binary model with one row of coefficients is not supported (onnxruntime leaves its second score column undefined)")
            }
        } else {
            guard let declared else {
                throw context.invalid("attribute 'classlabels_ints' or 'classlabels_strings' is required for \(classes) classes")
            }
            guard declared.count == classes else {
                throw context.invalid("\(declared.count) class labels but 'intercepts' defines \(classes) classes")
            }
            labels = declared
            twoColumns = false
        }

        let input = try FeatureMatrix.checkInput(context, expectedFeatures: features)
        let rows = FeatureMatrix.rowDimension(input)
        let width = twoColumns ? 2 : classes
        let kernel = LinearClassifierKernel(
            node: context.description, features: features, classes: classes,
            coefficients: PackedMatrix(coefficients, outputs: classes, features: features),
            intercepts: intercepts, labels: labels, postTransform: postTransform, twoColumns: twoColumns)
        return CompiledNode(kernel: kernel, outputs: [
            OutputType(elementType: labels.elementType, shape: [rows], classLabels: labels),
            OutputType(elementType: .float32, shape: [rows, .fixed(width)], classLabels: width == labels.count ? labels : nil),
        ])
    }
}

struct LinearClassifierKernel: Kernel {
    let node: String
    let features: Int
    let classes: Int
    let coefficients: PackedMatrix
    let intercepts: [Float]
    /// One per class; for a single row of coefficients, [negative, positive].
    let labels: ClassLabels
    let postTransform: PostTransform
    /// A single row of coefficients with two labels: scores are written as two columns.
    let twoColumns: Bool

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = try FeatureMatrix(inputs.required(0), node: node)
        try x.requireFeatures(features, node: node)
        let rows = x.rows
        var winners = [Int](repeating: 0, count: rows)
        var raw = x.values.withUnsafeBufferPointer { coefficients.affine($0, bias: intercepts) }
        if classes == 1 {
            let s = raw
            for r in 0..<rows { winners[r] = s[r] > 0 ? 1 : 0 }
            guard twoColumns else {
                let scores = postTransform == .probit ? s.map(PostTransform.probit) : s
                return [labels.labelTensor(winners), Tensor(shape: [rows, 1], floats: scores)]
            }
            var scores = [Float](repeating: 0, count: rows * 2)
            for r in 0..<rows { (scores[2 * r], scores[2 * r + 1]) = postTransform.twoColumns(s[r], .complement) }
            return [labels.labelTensor(winners), Tensor(shape: [rows, 2], floats: scores)]
        }
        raw.withUnsafeMutableBufferPointer { scores in
            let classes = classes
            winners.withUnsafeMutableBufferPointer { winner in
                for r in 0..<rows {
                    let row = scores.baseAddress! + r * classes
                    var best = 0
                    for c in 1..<classes where row[c] > row[best] { best = c }
                    winner[r] = best
                }
            }
            postTransform.applyRows(scores, width: classes)
        }
        return [labels.labelTensor(winners), Tensor(shape: [rows, classes], floats: raw)]
    }
}
