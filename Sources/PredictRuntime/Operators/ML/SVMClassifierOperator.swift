/// ai.onnx.ml SVMClassifier, with onnxruntime's semantics and output shapes.
///
/// With support vectors (libsvm's SVC) each pair of classes i < j has a one-vs-one score, and
/// the label is the class with most votes (score > 0 votes for i), never the probabilities.
/// The scores output is then:
/// - with `prob_a`/`prob_b`: [N, C] probabilities from libsvm's pairwise coupling;
/// - without, 3+ classes: [N, C(C-1)/2] pairwise scores;
/// - without, 2 classes: [N, 2], [-s, s] for post_transform NONE, else [1 - s, s] (logistic(s)
///   in place of s for LOGISTIC).
///
/// Without support vectors (liblinear) `coefficients` are [C, F] weights, every class adds
/// rho[0], the scores are [N, C] and the label is their first maximum, except onnxruntime's
/// binary rule: class 1 when all weights are ≥ 0 and the top score is ≥ 0.5, or when some
/// weight is negative and the top score is > 0.
enum SVMClassifierOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...2)
        let attributes = context.attributes
        let kernel = try SVMKernel.read(context)
        let labels = try ClassLabelsAttribute.require(context, ints: "classlabels_ints")
        let classes = labels.count
        guard classes >= 2 else { throw context.invalid("\(classes) class label; a classifier needs at least 2") }
        let pairs = classes * (classes - 1) / 2
        guard let coefficients = try attributes.floats("coefficients"), !coefficients.isEmpty else {
            throw context.invalid("attribute 'coefficients' is required")
        }
        guard let rho = try attributes.floats("rho"), !rho.isEmpty else {
            throw context.invalid("attribute 'rho' is required")
        }
        let probA = try attributes.floats("prob_a") ?? []
        let probB = try attributes.floats("prob_b") ?? []
        guard probA.count == probB.count else {
            throw context.invalid("attributes 'prob_a' (\(probA.count) values) and 'prob_b' (\(probB.count)) must have the same length")
        }
        let postTransform = try PostTransform.read(context)
        let vectorsPerClass = try attributes.ints("vectors_per_class") ?? []
        let supportVectors = try attributes.floats("support_vectors") ?? []
        guard vectorsPerClass.allSatisfy({ $0 >= 0 && $0 <= Int32.max }) else {
            throw context.invalid("attribute 'vectors_per_class' has a negative or huge count")
        }
        let vectorCount = vectorsPerClass.reduce(0) { $0 + Int($1) }

        let mode: SVMClassifierKernel.Mode
        let features: Int
        let width: Int
        // Probabilities and linear-mode scores have a column per class; pairwise scores do not.
        let columnsAreClasses: Bool
        if vectorCount > 0 {
            guard vectorsPerClass.count == classes else {
                throw context.invalid("attribute 'vectors_per_class' has \(vectorsPerClass.count) counts for \(classes) classes")
            }
            guard supportVectors.count % vectorCount == 0, supportVectors.count > 0 else {
                throw context.invalid("attribute 'support_vectors' has \(supportVectors.count) values, not a multiple of the \(vectorCount) vectors of 'vectors_per_class'")
            }
            features = supportVectors.count / vectorCount
            guard coefficients.count == (classes - 1) * vectorCount else {
                throw context.invalid("attribute 'coefficients' has \(coefficients.count) values; \(classes) classes and \(vectorCount) support vectors need \((classes - 1) * vectorCount)")
            }
            guard rho.count == pairs else {
                throw context.invalid("attribute 'rho' has \(rho.count) values; \(classes) classes need one per pair of classes (\(pairs))")
            }
            guard probA.isEmpty || probA.count == pairs else {
                throw context.invalid("attributes 'prob_a' and 'prob_b' have \(probA.count) values; \(classes) classes need one per pair of classes (\(pairs))")
            }
            if classes == 2 && probA.isEmpty && postTransform == .probit {
                throw context.unsupported("attribute 'post_transform' = 'PROBIT' on a binary SVM without probabilities is not supported (onnxruntime leaves its second score column undefined)")
            }
            var starts: [Int] = []
            var next = 0
            for count in vectorsPerClass {
                starts.append(next)
                next += Int(count)
            }
            mode = .supportVectors(SVMClassifierKernel.SupportVectors(
                kernel: SVMKernelMatrix(kernel, vectors: supportVectors, count: vectorCount, features: features),
                starts: starts, counts: vectorsPerClass.map { Int($0) }))
            width = probA.isEmpty ? (classes == 2 ? 2 : pairs) : classes
            columnsAreClasses = !probA.isEmpty
        } else {
            guard coefficients.count % classes == 0 else {
                throw context.invalid("attribute 'coefficients' has \(coefficients.count) values, not a multiple of the \(classes) classes (a linear SVM has one row of weights per class)")
            }
            features = coefficients.count / classes
            mode = .linear(SVMKernelMatrix(.linear, vectors: coefficients, count: classes, features: features))
            width = classes
            columnsAreClasses = true
        }

        let input = try FeatureMatrix.checkInput(context, expectedFeatures: features)
        let rows = FeatureMatrix.rowDimension(input)
        let compiled = SVMClassifierKernel(
            node: context.description, features: features, classes: classes, mode: mode,
            coefficients: coefficients, rho: rho, probA: probA, probB: probB, labels: labels,
            postTransform: postTransform, weightsAllNonNegative: coefficients.allSatisfy { $0 >= 0 })
        return CompiledNode(kernel: compiled, outputs: [
            OutputType(elementType: labels.elementType, shape: [rows], classLabels: labels),
            OutputType(elementType: .float32, shape: [rows, .fixed(width)], classLabels: columnsAreClasses ? labels : nil),
        ])
    }
}

struct SVMClassifierKernel: Kernel {
    struct SupportVectors: Sendable {
        /// The kernel over all support vectors, grouped by class.
        let kernel: SVMKernelMatrix
        /// The first vector and the number of vectors of each class.
        let starts: [Int]
        let counts: [Int]
    }

    enum Mode: Sendable {
        case supportVectors(SupportVectors)
        /// The dot product with each class's row of weights.
        case linear(SVMKernelMatrix)
    }

    /// Rows whose kernel values are computed together, bounding the scratch memory.
    static let chunkRows = 64

    let node: String
    let features: Int
    let classes: Int
    let mode: Mode
    /// Support vector mode: [classes - 1, vectors] dual coefficients; linear mode: the weights.
    let coefficients: [Float]
    let rho: [Float]
    let probA: [Float]
    let probB: [Float]
    let labels: ClassLabels
    let postTransform: PostTransform
    let weightsAllNonNegative: Bool

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = try FeatureMatrix(inputs.required(0), node: node)
        try x.requireFeatures(features, node: node)
        switch mode {
        case .supportVectors(let svc): return runSupportVectors(x, svc)
        case .linear(let weights): return runLinear(x, weights)
        }
    }

    private func runSupportVectors(_ x: FeatureMatrix, _ svc: SupportVectors) -> [Tensor] {
        let rows = x.rows
        let vectors = svc.kernel.count
        let pairs = classes * (classes - 1) / 2
        let withProbabilities = !probA.isEmpty
        let width = withProbabilities ? classes : (classes == 2 ? 2 : pairs)
        var winners = [Int](repeating: 0, count: rows)
        var scores = [Float](repeating: 0, count: rows * width)
        var kernelValues = [Float](repeating: 0, count: min(rows, Self.chunkRows) * vectors)
        var pairScores = [Float](repeating: 0, count: pairs)
        var votes = [Int](repeating: 0, count: classes)
        var pairProbabilities = [Float](repeating: 0, count: withProbabilities ? classes * classes : 0)
        x.values.withUnsafeBufferPointer { xs in
            coefficients.withUnsafeBufferPointer { coef in
                kernelValues.withUnsafeMutableBufferPointer { kernelBuffer in
                    scores.withUnsafeMutableBufferPointer { out in
                        var first = 0
                        while first < rows {
                            let count = min(Self.chunkRows, rows - first)
                            svc.kernel.evaluate(xs.baseAddress! + first * features, rows: count, into: kernelBuffer.baseAddress!)
                            for local in 0..<count {
                                let k = kernelBuffer.baseAddress! + local * vectors
                                let r = first + local
                                for c in 0..<classes { votes[c] = 0 }
                                var pair = 0
                                for i in 0..<(classes - 1) {
                                    for j in (i + 1)..<classes {
                                        // libsvm's decision value for (i, j): class i's vectors weighted by
                                        // coefficient row j-1, class j's by row i; products in float32,
                                        // the sum in float64, as onnxruntime.
                                        var sum: Double = 0
                                        let rowJ = (j - 1) * vectors, rowI = i * vectors
                                        for v in svc.starts[i]..<(svc.starts[i] + svc.counts[i]) {
                                            sum += Double(coef[rowJ + v] * k[v])
                                        }
                                        for v in svc.starts[j]..<(svc.starts[j] + svc.counts[j]) {
                                            sum += Double(coef[rowI + v] * k[v])
                                        }
                                        sum += Double(rho[pair])
                                        pairScores[pair] = Float(sum)
                                        votes[sum > 0 ? i : j] += 1
                                        pair += 1
                                    }
                                }
                                var best = 0
                                for c in 1..<classes where votes[c] > votes[best] { best = c }
                                winners[r] = best

                                let row = UnsafeMutableBufferPointer(start: out.baseAddress! + r * width, count: width)
                                if withProbabilities {
                                    pairProbabilities.withUnsafeMutableBufferPointer { matrix in
                                        fillPairwiseProbabilities(pairScores, into: matrix)
                                        Self.coupleProbabilities(classes, pairwise: UnsafeBufferPointer(matrix), into: row)
                                    }
                                    postTransform.apply(row)
                                } else if classes == 2 {
                                    let s = pairScores[0]
                                    (row[0], row[1]) = postTransform == .none
                                        ? (-s, s) : postTransform.twoColumns(s, .complement)
                                } else {
                                    for p in 0..<pairs { row[p] = pairScores[p] }
                                    postTransform.apply(row)
                                }
                            }
                            first += count
                        }
                    }
                }
            }
        }
        return [labels.labelTensor(winners), Tensor(shape: [rows, width], floats: scores)]
    }

    private func runLinear(_ x: FeatureMatrix, _ weights: SVMKernelMatrix) -> [Tensor] {
        let rows = x.rows
        var winners = [Int](repeating: 0, count: rows)
        var scores = [Float](repeating: 0, count: rows * classes)
        let withProbabilities = !probA.isEmpty
        x.values.withUnsafeBufferPointer { xs in
            scores.withUnsafeMutableBufferPointer { out in
                guard let input = xs.baseAddress, let base = out.baseAddress else { return }
                weights.evaluate(input, rows: rows, bias: rho[0], into: base)
                for r in 0..<rows {
                    let row = UnsafeMutableBufferPointer(start: base + r * classes, count: classes)
                    var best = 0
                    for c in 1..<classes where row[c] > row[best] { best = c }
                    let top = row[best]
                    if classes == 2 && !withProbabilities
                        && ((weightsAllNonNegative && top >= 0.5) || (!weightsAllNonNegative && top > 0)) {
                        best = 1
                    }
                    winners[r] = best
                    postTransform.apply(row)
                }
            }
        }
        return [labels.labelTensor(winners), Tensor(shape: [rows, classes], floats: scores)]
    }

    /// libsvm's pairwise probabilities r[i][j] = P(i | i or j) from the decision values by
    /// Platt scaling, clamped to [1e-7, 1 - 1e-7]; r[j][i] = 1 - r[i][j].
    private func fillPairwiseProbabilities(_ pairScores: [Float], into r: UnsafeMutableBufferPointer<Float>) {
        var pair = 0
        for i in 0..<(classes - 1) {
            for j in (i + 1)..<classes {
                let value = 1 - PostTransform.logistic(pairScores[pair] * probA[pair] + probB[pair])
                let clamped = min(max(value, 1.0e-7), 1 - 1.0e-7)
                r[i * classes + j] = clamped
                r[j * classes + i] = 1 - clamped
                pair += 1
            }
        }
    }

    /// Class probabilities from pairwise ones by libsvm's `multiclass_probability` (Wu, Lin and
    /// Weng, method 2), in float32 with onnxruntime's operation order.
    static func coupleProbabilities(_ k: Int, pairwise r: UnsafeBufferPointer<Float>, into p: UnsafeMutableBufferPointer<Float>) {
        var q = [Float](repeating: 0, count: k * k)
        var qp = [Float](repeating: 0, count: k)
        let eps = 0.005 / Float(k)
        for t in 0..<k {
            p[t] = 1 / Float(k)
            for j in 0..<t {
                q[t * k + t] += r[j * k + t] * r[j * k + t]
                q[t * k + j] = q[j * k + t]
            }
            for j in (t + 1)..<k {
                q[t * k + t] += r[j * k + t] * r[j * k + t]
                q[t * k + j] = -r[j * k + t] * r[t * k + j]
            }
        }
        for _ in 0..<100 {
            var pqp: Float = 0
            for t in 0..<k {
                qp[t] = 0
                for j in 0..<k { qp[t] += q[t * k + j] * p[j] }
                pqp += p[t] * qp[t]
            }
            var maxError: Float = 0
            for t in 0..<k {
                let error = abs(qp[t] - pqp)
                if error > maxError { maxError = error }
            }
            if maxError < eps { break }
            for t in 0..<k {
                let diff = (-qp[t] + pqp) / q[t * k + t]
                p[t] += diff
                pqp = (pqp + diff * (diff * q[t * k + t] + 2 * qp[t])) / (1 + diff) / (1 + diff)
                for j in 0..<k {
                    qp[j] = (qp[j] + diff * q[t * k + j]) / (1 + diff)
                    p[j] /= (1 + diff)
                }
            }
        }
    }
}
