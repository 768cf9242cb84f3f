import PredictRuntime

/// How one call's shadow outputs differ from the answer the caller got.
struct ShadowComparison: Equatable {
    /// Rows whose label was compared, and how many agreed. Labels are the first non-float
    /// output (a classifier's label), else the arg-max of the first float output with more than
    /// one column; a model with neither (a regressor) compares no labels.
    var rows = 0
    var agreeingRows = 0
    /// Float elements compared (probabilities, scores, regression outputs) and their absolute
    /// differences.
    var elements = 0
    var sumAbsDifference = 0.0
    var maxAbsDifference = 0.0
    /// The outputs cannot be compared: different names, element types or shapes.
    var mismatch = false

    init(primary: InferenceResponse, shadow: InferenceResponse) {
        guard primary.outputs.map(\.name) == shadow.outputs.map(\.name),
              zip(primary.outputs, shadow.outputs).allSatisfy({ $0.tensor.shape == $1.tensor.shape && $0.tensor.elementType == $1.tensor.elementType })
        else {
            mismatch = true
            return
        }
        for (p, s) in zip(primary.outputs, shadow.outputs) {
            guard let a = Self.values(p.tensor), let b = Self.values(s.tensor) else { continue }
            for (x, y) in zip(a, b) {
                let difference = abs(x - y)
                sumAbsDifference += difference
                maxAbsDifference = max(maxAbsDifference, difference)
            }
            elements += a.count
        }
        if let labels = primary.outputs.firstIndex(where: { Self.values($0.tensor) == nil }) {
            let a = Self.labels(primary.outputs[labels].tensor), b = Self.labels(shadow.outputs[labels].tensor)
            rows = a.count
            agreeingRows = zip(a, b).filter { $0 == $1 }.count
        } else if let scores = primary.outputs.firstIndex(where: { $0.tensor.rank == 2 && $0.tensor.shape[1] > 1 }) {
            let a = Self.argmax(primary.outputs[scores].tensor), b = Self.argmax(shadow.outputs[scores].tensor)
            rows = a.count
            agreeingRows = zip(a, b).filter { $0 == $1 }.count
        }
    }

    /// A float output's elements; nil for labels (integers, strings, booleans).
    static func values(_ tensor: Tensor) -> [Double]? {
        if let floats = tensor.floats { return floats.map(Double.init) }
        if let doubles = tensor.doubles { return doubles }
        return nil
    }

    static func labels(_ tensor: Tensor) -> [String] {
        if let v = tensor.int64s { return v.map { String($0) } }
        if let v = tensor.int32s { return v.map { String($0) } }
        if let v = tensor.strings { return v }
        if let v = tensor.bools { return v.map { String($0) } }
        return []
    }

    static func argmax(_ tensor: Tensor) -> [Int] {
        guard let values = values(tensor), tensor.rank == 2, tensor.shape[1] > 0 else { return [] }
        let columns = tensor.shape[1]
        return stride(from: 0, to: values.count, by: columns).map { start in
            let row = values[start..<min(start + columns, values.count)]
            return row.indices.max { row[$0] < row[$1] }.map { $0 - start } ?? 0
        }
    }
}
