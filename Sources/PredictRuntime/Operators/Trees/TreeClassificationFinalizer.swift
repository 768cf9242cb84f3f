/// Turns a row's aggregated class scores into a label and a probability row exactly as
/// onnxruntime 1.32's TreeEnsembleClassifier does, quirks included:
///
/// - More than two classes: base values are added (giving every class a score), the label is
///   the first class with the highest score among classes that have one, taken before the post
///   transform.
/// - Two classes with votes for one class id only (the exporters' binary form): one score s.
///   With all weights non-negative the label is positive when s > 0.5, otherwise when s > 0;
///   the probabilities are [1 - s, s], [-s, s] for mixed weights, or [σ(-s), σ(s)] under
///   LOGISTIC. Votes for both class ids: the label is the raw value 1 or 0 (not a class label)
///   by the sign of the second class's score.
/// - Where onnxruntime leaves an output cell unwritten (PROBIT with one score; one base value
///   and no vote for the second class of a two-class model voting for both), we write 0.
struct TreeClassificationFinalizer<T: TreeScalar>: Sendable {
    let classCount: Int
    let postTransform: PostTransform
    let baseValues: [T]
    let binaryCase: Bool
    let weightsArePositive: Bool

    /// Whether `finish`'s result is the raw label value (0 or 1) rather than a class index.
    var labelIsRaw: Bool { classCount == 1 || (classCount == 2 && !binaryCase) }

    init(_ definition: TreeEnsembleDefinition, _ facts: TreeEnsembleDefinition.ClassifierFacts) {
        classCount = definition.targetCount
        postTransform = definition.postTransform
        baseValues = definition.baseValues.map { T($0) }
        binaryCase = facts.binaryCase
        weightsArePositive = facts.weightsArePositive
    }

    /// Finishes one row: `scores`/`has` hold `classCount` entries (modified in place), `out`
    /// receives `classCount` probabilities. Returns a class index, or the raw label when
    /// `labelIsRaw`.
    func finish(
        scores s: UnsafeMutablePointer<T>, has: UnsafeMutablePointer<Bool>,
        out: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, row: Int
    ) throws -> Int {
        switch classCount {
        case 1:
            let v = s[0] + (baseValues.count == 1 ? baseValues[0] : 0)
            out[0] = postTransform == .probit ? PostTransform.probit(Float(v)) : Float(v)
            return v > 0 ? 1 : 0
        case 2:
            return finishBinary(s, has, out, scratch)
        default:
            for k in baseValues.indices {
                if has[k] { s[k] += baseValues[k] } else { s[k] = baseValues[k]; has[k] = true }
            }
            var best = -1
            var bestScore: T = 0
            for k in 0..<classCount where has[k] && (best == -1 || s[k] > bestScore) {
                best = k
                bestScore = s[k]
            }
            guard best >= 0 else {
                throw RuntimeError.internalFailure("row \(row): no tree voted for any class and the model has no base values, so it has no label")
            }
            for k in 0..<classCount where !has[k] { s[k] = 0 }
            TreeScoreWriter.write(s, count: classCount, postTransform, out: out, scratch: scratch)
            return best
        }
    }

    private func finishBinary(
        _ s: UnsafeMutablePointer<T>, _ has: UnsafeMutablePointer<Bool>,
        _ out: UnsafeMutablePointer<Float>, _ scratch: UnsafeMutablePointer<Float>
    ) -> Int {
        // onnxruntime's `write_additional_scores`: -1 none, 0/1 positive weights, 2/3 mixed.
        var additional = -1
        var twoScores = true
        switch baseValues.count {
        case 2:
            if has[1] {
                // onnxruntime replaces the second score by base[1] + the first score.
                s[1] = baseValues[1] + s[0]
                s[0] = -s[1]
            } else {
                s[1] += baseValues[1]
                s[0] += baseValues[0]
            }
        case 1:
            s[0] += baseValues[0]
            twoScores = has[1]
        default:
            additional = 3
            twoScores = has[1]
        }
        let positive: T = (twoScores && has[1]) ? s[1] : (has[0] ? s[0] : 0)
        let label: Int
        if binaryCase {
            if weightsArePositive {
                label = positive > 0.5 ? 1 : 0
                additional = label == 1 ? 0 : 1
            } else {
                label = positive > 0 ? 1 : 0
                additional = label == 1 ? 2 : 3
            }
        } else {
            label = positive > 0 ? 1 : 0
        }

        if twoScores {
            for k in 0..<2 where !has[k] { s[k] = 0 }
            TreeScoreWriter.write(s, count: 2, postTransform, out: out, scratch: scratch)
            return label
        }
        let v = has[0] ? s[0] : 0
        switch (postTransform, additional) {
        case (.probit, _):
            out[0] = PostTransform.probit(Float(v)); out[1] = 0
        case (_, -1):
            out[0] = Float(v); out[1] = 0
        case (.logistic, _):
            out[0] = PostTransform.logistic(Float(-v)); out[1] = PostTransform.logistic(Float(v))
        case (_, 0), (_, 1):
            out[0] = Float(1 - v); out[1] = Float(v)
        default:
            out[0] = Float(-v); out[1] = Float(v)
        }
        return label
    }
}
