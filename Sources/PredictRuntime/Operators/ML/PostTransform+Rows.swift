/// How onnxruntime's linear and SVM kernels apply `post_transform` to a batch of scores
/// (its `batched_update_scores_inplace`), including the quirks of single-score rows.
extension PostTransform {
    /// How a binary model's single score s becomes two columns.
    enum SecondColumn: Sendable {
        /// [1 - s, s]; with LOGISTIC, s is first mapped through the logistic function.
        case complement
        /// [-s, s]; with LOGISTIC, [logistic(-s), logistic(s)].
        case negation
    }

    /// Transforms a row-major [rows, width] buffer. Rows of several scores are transformed
    /// whole; rows of a single score only by PROBIT (onnxruntime leaves them otherwise untouched).
    func applyRows(_ scores: UnsafeMutableBufferPointer<Float>, width: Int) {
        guard self != .none, width > 0 else { return }
        if width == 1 {
            if self == .probit {
                for i in scores.indices { scores[i] = Self.probit(scores[i]) }
            }
            return
        }
        guard let base = scores.baseAddress else { return }
        // Elementwise transforms need no row structure: one flat pass.
        if self == .logistic || self == .probit {
            apply(scores)
            return
        }
        var start = 0
        while start + width <= scores.count {
            apply(UnsafeMutableBufferPointer(start: base + start, count: width))
            start += width
        }
    }

    /// The two columns onnxruntime writes for a binary model's single score. PROBIT has no
    /// two-column form (onnxruntime leaves the second column undefined); kernels reject it at load.
    @inline(__always)
    func twoColumns(_ s: Float, _ kind: SecondColumn) -> (Float, Float) {
        switch (kind, self) {
        case (.complement, .logistic):
            let p = Self.logistic(s)
            return (1 - p, p)
        case (.complement, _):
            return (1 - s, s)
        case (.negation, .logistic):
            return (Self.logistic(-s), Self.logistic(s))
        case (.negation, _):
            return (-s, s)
        }
    }
}
