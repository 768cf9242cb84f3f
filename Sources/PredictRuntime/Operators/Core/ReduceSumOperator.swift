/// ReduceSum over a set of axes (all when none are given, unless `noop_with_empty_axes`). Axes
/// come from an attribute before opset 13 and from an optional input after.
enum ReduceSumOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectOutputs(1...1)
        let input = try context.input(0, of: [.float32, .float64, .int64, .int32])
        let keepDims = try context.attributes.int("keepdims", default: 1) != 0
        var axes: [Int]? = nil
        var noopWithEmptyAxes = false
        if context.opset < 13 {
            try context.expectInputs(1...1)
            axes = try context.attributes.ints("axes")?.map { Int($0) }
        } else {
            try context.expectInputs(1...2)
            noopWithEmptyAxes = try context.attributes.int("noop_with_empty_axes", default: 0) != 0
            if context.inputs.count > 1, context.inputs[1] != nil {
                _ = try context.input(1, of: [.int64])
                axes = try context.constant(1, "axes").integerValues("ReduceSum axes")
            }
        }
        return CompiledNode(kernel: ReduceSumKernel(axes: axes ?? [], keepDims: keepDims, noopWithEmptyAxes: noopWithEmptyAxes), outputs: [OutputType(elementType: input.elementType, shape: nil)])
    }
}

struct ReduceSumKernel: Kernel {
    let axes: [Int]
    let keepDims: Bool
    let noopWithEmptyAxes: Bool

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0)
        if axes.isEmpty && noopWithEmptyAxes { return [x] }
        let reduced = try Set(axes.isEmpty ? Array(0..<x.rank) : axes.map { a in
            guard let n = normalizedAxis(a, rank: x.rank) else { throw RuntimeError.invalidInput("ReduceSum axis \(a) is out of range for shape \(x.shape)") }
            return n
        })
        let outShape = x.shape.enumerated().compactMap { reduced.contains($0.offset) ? (keepDims ? 1 : nil) : $0.element }
        let keptShape = x.shape.enumerated().map { reduced.contains($0.offset) ? 1 : $0.element }
        let strides = Broadcasting.strides(keptShape, broadcastTo: x.shape)
        func sum<T: Numeric>(_ v: [T], _ add: (T, T) -> T) -> [T] {
            var out = [T](repeating: 0, count: keptShape.reduce(1, *))
            var index = [Int](repeating: 0, count: x.rank)
            var target = 0
            for value in v {
                out[target] = add(out[target], value)
                var axis = x.rank - 1
                while axis >= 0 {
                    index[axis] += 1
                    target += strides[axis]
                    if index[axis] < x.shape[axis] { break }
                    target -= strides[axis] * x.shape[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
            return out
        }
        let storage: Tensor.Storage = switch x.storage {
        case .float32(let v): .float32(sum(v, +))
        case .float64(let v): .float64(sum(v, +))
        case .int64(let v): .int64(sum(v, &+))
        case .int32(let v): .int32(sum(v, &+))
        default: throw RuntimeError.invalidInput("ReduceSum does not take \(x.elementType.rawValue)")
        }
        return [Tensor(shape: outShape, storage: storage)]
    }
}
