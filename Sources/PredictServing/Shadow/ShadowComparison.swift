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
            accumulate(p.tensor, s.tensor)
        }
        // Compared in place, without converting a row: this runs for every shadowed call.
        if let index = primary.outputs.firstIndex(where: { !Self.isFloat($0.tensor) }) {
            let a = primary.outputs[index].tensor, b = shadow.outputs[index].tensor
            rows = a.count
            agreeingRows = Self.equalElements(a, b)
        } else if let index = primary.outputs.firstIndex(where: { $0.tensor.elementType == .float32 && $0.tensor.rank == 2 && $0.tensor.shape[1] > 1 }) {
            let a = primary.outputs[index].tensor, b = shadow.outputs[index].tensor
            rows = a.shape[0]
            agreeingRows = Self.agreeingArgmax(a, b)
        }
    }

    private mutating func accumulate(_ a: Tensor, _ b: Tensor) {
        switch (a.storage, b.storage) {
        case (.float32(let x), .float32(let y)):
            for i in x.indices { add(Double(x[i]) - Double(y[i])) }
            elements += x.count
        case (.float64(let x), .float64(let y)):
            for i in x.indices { add(x[i] - y[i]) }
            elements += x.count
        default:
            break
        }
    }

    private mutating func add(_ difference: Double) {
        let magnitude = abs(difference)
        sumAbsDifference += magnitude
        if magnitude > maxAbsDifference { maxAbsDifference = magnitude }
    }

    static func isFloat(_ tensor: Tensor) -> Bool {
        tensor.elementType == .float32 || tensor.elementType == .float64
    }

    /// Elements equal in both tensors of the same type and shape.
    static func equalElements(_ a: Tensor, _ b: Tensor) -> Int {
        func count<T: Equatable>(_ x: [T], _ y: [T]) -> Int {
            var equal = 0
            for i in x.indices where x[i] == y[i] { equal += 1 }
            return equal
        }
        switch (a.storage, b.storage) {
        case (.int64(let x), .int64(let y)): return count(x, y)
        case (.int32(let x), .int32(let y)): return count(x, y)
        case (.string(let x), .string(let y)): return count(x, y)
        case (.bool(let x), .bool(let y)): return count(x, y)
        default: return 0
        }
    }

    /// Rows of two [N, C] FP32 tensors whose largest column is the same.
    static func agreeingArgmax(_ a: Tensor, _ b: Tensor) -> Int {
        let columns = a.shape[1]
        func argmax(_ values: [Float], _ row: Int) -> Int {
            var best = 0
            for c in 1..<columns where values[row * columns + c] > values[row * columns + best] { best = c }
            return best
        }
        guard case .float32(let x) = a.storage, case .float32(let y) = b.storage else { return 0 }
        var agreeing = 0
        for row in 0..<a.shape[0] where argmax(x, row) == argmax(y, row) { agreeing += 1 }
        return agreeing
    }
}
