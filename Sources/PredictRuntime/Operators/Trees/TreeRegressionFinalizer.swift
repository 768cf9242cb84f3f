/// Turns a row's aggregated scores into regression outputs as onnxruntime's tree aggregators
/// do: base values, the AVERAGE division, then the post transform.
///
/// onnxruntime's quirks, kept on purpose: with one target only PROBIT is applied (LOGISTIC and
/// the softmaxes leave the value as is); with several targets a target that no leaf voted for is
/// written as 0 whatever its base value, and the transform sees that 0.
struct TreeRegressionFinalizer<T: TreeScalar>: Sendable {
    let targetCount: Int
    let aggregate: TreeEnsembleDefinition.Aggregate
    let postTransform: PostTransform
    let baseValues: [T]
    let treeCount: Int

    init(_ definition: TreeEnsembleDefinition) {
        targetCount = definition.targetCount
        aggregate = definition.aggregate
        postTransform = definition.postTransform
        baseValues = definition.baseValues.map { T($0) }
        treeCount = definition.roots.count
    }

    /// Finishes one row: `scores` and `has` hold `targetCount` entries (modified in place),
    /// `out` receives `targetCount` values; `scratch` holds `targetCount` floats.
    @inline(__always)
    func finish<O: BinaryFloatingPoint>(
        scores: UnsafeMutablePointer<T>, has: UnsafeMutablePointer<Bool>,
        out: UnsafeMutablePointer<O>, scratch: UnsafeMutablePointer<Float>
    ) {
        if targetCount == 1 {
            let origin: T = baseValues.count == 1 ? baseValues[0] : 0
            let v: T
            switch aggregate {
            case .sum: v = scores[0] + origin
            case .average: v = scores[0] / T(treeCount) + origin
            case .min, .max: v = has[0] ? scores[0] + origin : origin
            }
            out[0] = postTransform == .probit ? O(PostTransform.probit(Float(v))) : O(v)
            return
        }
        let useBase = baseValues.count == targetCount
        for k in 0..<targetCount {
            var s = scores[k]
            switch aggregate {
            case .sum: if useBase { s += baseValues[k] }
            case .average: s = s / T(treeCount) + (useBase ? baseValues[k] : 0)
            case .min, .max: s = (useBase ? baseValues[k] : 0) + (has[k] ? s : 0)
            }
            scores[k] = has[k] ? s : 0
        }
        TreeScoreWriter.write(scores, count: targetCount, postTransform, out: out, scratch: scratch)
    }
}

/// onnxruntime's `write_scores` for two or more scores: the transform runs in float32 (also
/// for float64 trees); without a transform the values are converted directly.
enum TreeScoreWriter {
    @inline(__always)
    static func write<T: TreeScalar, O: BinaryFloatingPoint>(
        _ values: UnsafeMutablePointer<T>, count: Int, _ transform: PostTransform,
        out: UnsafeMutablePointer<O>, scratch: UnsafeMutablePointer<Float>
    ) {
        if transform == .none {
            for k in 0..<count { out[k] = O(values[k]) }
            return
        }
        for k in 0..<count { scratch[k] = Float(values[k]) }
        transform.apply(UnsafeMutableBufferPointer(start: scratch, count: count))
        for k in 0..<count { out[k] = O(scratch[k]) }
    }
}
