/// ArgMax along one axis, to int64 indices; ties go to the first maximum unless
/// `select_last_index` is set.
enum ArgMaxOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...1)
        let input = try context.input(0, of: [.float32, .float64, .int64, .int32])
        let axis = try context.attributes.int("axis", default: 0)
        let keepDims = try context.attributes.int("keepdims", default: 1) != 0
        let selectLast = context.opset >= 12 ? try context.attributes.int("select_last_index", default: 0) != 0 : false
        var shape: [Dimension]? = nil
        if let s = input.shape {
            guard let a = normalizedAxis(axis, rank: s.count) else { throw context.invalid("axis \(axis) is out of range for rank \(s.count)") }
            shape = s
            if keepDims { shape![a] = .fixed(1) } else { shape!.remove(at: a) }
        }
        return CompiledNode(kernel: ArgMaxKernel(axis: axis, keepDims: keepDims, selectLast: selectLast), outputs: [OutputType(elementType: .int64, shape: shape)])
    }
}

struct ArgMaxKernel: Kernel {
    let axis: Int
    let keepDims: Bool
    let selectLast: Bool

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0)
        guard let a = normalizedAxis(axis, rank: x.rank), x.rank > 0 else {
            throw RuntimeError.invalidInput("ArgMax axis \(axis) is out of range for shape \(x.shape)")
        }
        let outer = x.shape[..<a].reduce(1, *), length = x.shape[a], inner = x.shape[(a + 1)...].reduce(1, *)
        func argmax<T: Comparable>(_ v: [T]) -> [Int64] {
            var out = [Int64](repeating: 0, count: outer * inner)
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = 0
                    for k in 1..<max(length, 1) {
                        let candidate = v[(o * length + k) * inner + i], current = v[(o * length + best) * inner + i]
                        if candidate > current || (selectLast && candidate == current) { best = k }
                    }
                    out[o * inner + i] = Int64(best)
                }
            }
            return out
        }
        let indices: [Int64] = switch x.storage {
        case .float32(let v): argmax(v)
        case .float64(let v): argmax(v)
        case .int64(let v): argmax(v)
        case .int32(let v): argmax(v)
        default: throw RuntimeError.invalidInput("ArgMax does not take \(x.elementType.rawValue)")
        }
        var shape = x.shape
        if keepDims { shape[a] = 1 } else { shape.remove(at: a) }
        return [Tensor(shape: shape, int64s: indices)]
    }
}
