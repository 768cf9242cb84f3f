/// Clip to [min, max]: bounds from attributes before opset 11, from optional scalar inputs after.
enum ClipOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectOutputs(1...1)
        let numeric: Set<ElementType> = context.opset >= 12 ? [.float32, .float64, .int64, .int32] : [.float32, .float64]
        let input = try context.input(0, of: numeric)
        var lower: Double? = nil, upper: Double? = nil
        if context.opset < 11 {
            try context.expectInputs(1...1)
            lower = try context.attributes.float("min").map(Double.init)
            upper = try context.attributes.float("max").map(Double.init)
        } else {
            try context.expectInputs(1...3)
            for i in 1..<context.inputs.count where context.inputs[i] != nil {
                guard try context.input(i).elementType == input.elementType else {
                    throw context.invalid("bound \(i) has a different element type than the input")
                }
            }
        }
        return CompiledNode(kernel: ClipKernel(lower: lower, upper: upper), outputs: [OutputType(elementType: input.elementType, shape: input.shape)])
    }
}

struct ClipKernel: Kernel {
    let lower: Double?
    let upper: Double?

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0)
        func bound(_ i: Int, _ fixed: Double?) throws -> Double? {
            guard i < inputs.count, let t = inputs[i] else { return fixed }
            guard t.count == 1 else { throw RuntimeError.invalidInput("Clip bound must be a scalar, got shape \(t.shape)") }
            switch t.storage {
            case .float32(let v): return Double(v[0])
            case .float64(let v): return v[0]
            case .int64(let v): return Double(v[0])
            case .int32(let v): return Double(v[0])
            default: throw RuntimeError.invalidInput("Clip bound has type \(t.elementType.rawValue)")
            }
        }
        let lo = try bound(1, lower), hi = try bound(2, upper)
        func clip<T: Comparable>(_ v: [T], _ convert: (Double) -> T) -> [T] {
            let l = lo.map(convert), h = hi.map(convert)
            return v.map { value in
                var y = value
                if let l, y < l { y = l }
                if let h, y > h { y = h }
                return y
            }
        }
        let storage: Tensor.Storage = switch x.storage {
        case .float32(let v): .float32(clip(v) { Float($0) })
        case .float64(let v): .float64(clip(v) { $0 })
        case .int64(let v): .int64(clip(v) { Int64($0) })
        case .int32(let v): .int32(clip(v) { Int32($0) })
        default: throw RuntimeError.invalidInput("Clip does not take \(x.elementType.rawValue)")
        }
        return [Tensor(shape: x.shape, storage: storage)]
    }
}
