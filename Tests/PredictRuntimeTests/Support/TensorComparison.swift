@testable import PredictRuntime

/// Compares a computed tensor with onnxruntime's: shapes equal, labels and integers exactly,
/// floats within a relative tolerance (absolute near zero). Returns a description of the first
/// difference, or nil when they agree.
func difference(_ actual: Tensor, _ expected: Tensor, relativeTolerance: Double = 1e-5, absoluteTolerance: Double = 1e-6) -> String? {
    guard actual.shape == expected.shape else { return "shape \(actual.shape), expected \(expected.shape)" }
    guard actual.elementType == expected.elementType else {
        return "datatype \(actual.elementType.rawValue), expected \(expected.elementType.rawValue)"
    }
    func close(_ a: Double, _ e: Double) -> Bool {
        if a.isNaN || e.isNaN { return a.isNaN && e.isNaN }
        if a == e { return true }
        return abs(a - e) <= max(absoluteTolerance, relativeTolerance * abs(e))
    }
    func firstMismatch<T>(_ a: [T], _ e: [T], _ same: (T, T) -> Bool) -> String? {
        for i in a.indices where !same(a[i], e[i]) {
            return "element \(i) (row \(actual.shape.first.map { $0 > 0 ? i / max(1, a.count / $0) : 0 } ?? 0)) is \(a[i]), expected \(e[i])"
        }
        return nil
    }
    switch (actual.storage, expected.storage) {
    case (.float32(let a), .float32(let e)): return firstMismatch(a, e) { close(Double($0), Double($1)) }
    case (.float64(let a), .float64(let e)): return firstMismatch(a, e) { close($0, $1) }
    case (.int64(let a), .int64(let e)): return firstMismatch(a, e, ==)
    case (.int32(let a), .int32(let e)): return firstMismatch(a, e, ==)
    case (.string(let a), .string(let e)): return firstMismatch(a, e, ==)
    case (.bool(let a), .bool(let e)): return firstMismatch(a, e, ==)
    default: return "storage kinds differ"
    }
}
