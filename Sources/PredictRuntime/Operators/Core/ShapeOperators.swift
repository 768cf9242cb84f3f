/// The operators that change only a tensor's shape (Reshape, Flatten, Unsqueeze, Squeeze) or
/// read it (Shape). None of them copies elements.
enum ShapeOperators {
    static func compileReshape(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(2...2)
        try context.expectOutputs(1...1)
        let data = try context.input(0)
        _ = try context.input(1, of: [.int64])
        let allowZero = try context.attributes.int("allowzero", default: 0) != 0
        let requested = try context.constants[1]?.integerValues("Reshape shape")
        var shape: [Dimension]? = nil
        if let requested {
            shape = requested.enumerated().map { i, d in
                if d > 0 || (d == 0 && allowZero) { return .fixed(d) }
                if d == 0, let s = data.shape, i < s.count { return s[i] }
                return .dynamic(name: nil)
            }
        }
        return CompiledNode(kernel: ReshapeKernel(constantShape: requested, allowZero: allowZero), outputs: [OutputType(elementType: data.elementType, shape: shape)])
    }

    static func compileFlatten(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...1)
        let data = try context.input(0)
        let axis = try context.attributes.int("axis", default: 1)
        return CompiledNode(kernel: FlattenKernel(axis: axis), outputs: [OutputType(elementType: data.elementType, shape: [.dynamic(name: nil), .dynamic(name: nil)])])
    }

    static func compileUnsqueeze(_ context: NodeContext) throws -> CompiledNode {
        try context.expectOutputs(1...1)
        let data = try context.input(0)
        let axes = try axesArgument(context, required: true)
        let shape: [Dimension]? = data.shape.flatMap { s in
            guard let axes, let out = try? unsqueezedShape(s, axes: axes, one: Dimension.fixed(1)) else { return nil }
            return out
        }
        return CompiledNode(kernel: UnsqueezeKernel(constantAxes: axes), outputs: [OutputType(elementType: data.elementType, shape: shape)])
    }

    static func compileSqueeze(_ context: NodeContext) throws -> CompiledNode {
        try context.expectOutputs(1...1)
        let data = try context.input(0)
        let axes = try axesArgument(context, required: false)
        return CompiledNode(kernel: SqueezeKernel(constantAxes: axes, axesInput: context.inputs.count > 1 && context.inputs[1] != nil), outputs: [OutputType(elementType: data.elementType, shape: nil)])
    }

    static func compileShape(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...1)
        _ = try context.input(0)
        let start = context.opset >= 15 ? try context.attributes.int("start", default: 0) : 0
        let end = context.opset >= 15 ? try context.attributes.int("end") : nil
        return CompiledNode(kernel: ShapeKernel(start: start, end: end), outputs: [OutputType(elementType: .int64, shape: [.dynamic(name: nil)])])
    }

    /// Axes from the `axes` attribute (before opset 13) or the optional second input (13 on),
    /// when known at load time; nil when they arrive at run time or are absent.
    private static func axesArgument(_ context: NodeContext, required: Bool) throws -> [Int]? {
        if context.opset < 13 {
            try context.expectInputs(1...1)
            let axes = try context.attributes.ints("axes")?.map { Int($0) }
            if required && axes == nil { throw context.invalid("attribute 'axes' is required") }
            return axes
        }
        try context.expectInputs(required ? 2...2 : 1...2)
        guard context.inputs.count > 1, context.inputs[1] != nil else { return nil }
        _ = try context.input(1, of: [.int64])
        return try context.constants[1]?.integerValues("axes")
    }

    static func unsqueezedShape<D>(_ shape: [D], axes: [Int], one: D) throws -> [D] {
        let rank = shape.count + axes.count
        let normalized = try axes.map { a in
            guard let n = normalizedAxis(a, rank: rank) else { throw RuntimeError.invalidInput("Unsqueeze axis \(a) is out of range for output rank \(rank)") }
            return n
        }
        guard Set(normalized).count == normalized.count else { throw RuntimeError.invalidInput("Unsqueeze axes \(axes) repeat an axis") }
        var source = shape.makeIterator()
        return (0..<rank).map { normalized.contains($0) ? one : source.next()! }
    }
}

struct ReshapeKernel: Kernel {
    let constantShape: [Int]?
    let allowZero: Bool

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let data = try inputs.required(0)
        let requested = try constantShape ?? inputs.required(1).integerValues("Reshape shape")
        var shape = requested.enumerated().map { i, d in d == 0 && !allowZero && i < data.rank ? data.shape[i] : d }
        let inferred = shape.indices.filter { shape[$0] == -1 }
        guard inferred.count <= 1, shape.allSatisfy({ $0 >= -1 }) else {
            throw RuntimeError.invalidInput("Reshape target \(requested) is invalid")
        }
        let known = shape.filter { $0 != -1 }.reduce(1, *)
        if let i = inferred.first {
            guard known > 0, data.count % known == 0 else {
                throw RuntimeError.invalidInput("cannot reshape \(data.shape) to \(requested)")
            }
            shape[i] = data.count / known
        }
        guard shape.reduce(1, *) == data.count else { throw RuntimeError.invalidInput("cannot reshape \(data.shape) to \(requested)") }
        return [data.reshaped(shape)]
    }
}

struct FlattenKernel: Kernel {
    let axis: Int

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let data = try inputs.required(0)
        let a = axis < 0 ? axis + data.rank : axis
        guard (0...data.rank).contains(a) else { throw RuntimeError.invalidInput("Flatten axis \(axis) is out of range for shape \(data.shape)") }
        return [data.reshaped([data.shape[..<a].reduce(1, *), data.shape[a...].reduce(1, *)])]
    }
}

struct UnsqueezeKernel: Kernel {
    let constantAxes: [Int]?

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let data = try inputs.required(0)
        let axes = try constantAxes ?? inputs.required(1).integerValues("Unsqueeze axes")
        return [data.reshaped(try ShapeOperators.unsqueezedShape(data.shape, axes: axes, one: 1))]
    }
}

struct SqueezeKernel: Kernel {
    let constantAxes: [Int]?
    let axesInput: Bool

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let data = try inputs.required(0)
        let axes: [Int]? = try constantAxes ?? (axesInput ? inputs.required(1).integerValues("Squeeze axes") : nil)
        guard let axes else { return [data.reshaped(data.shape.filter { $0 != 1 })] }
        let normalized = try Set(axes.map { a in
            guard let n = normalizedAxis(a, rank: data.rank), data.shape[n] == 1 else {
                throw RuntimeError.invalidInput("Squeeze axis \(a) does not name a dimension of size 1 in \(data.shape)")
            }
            return n
        })
        return [data.reshaped(data.shape.enumerated().filter { !normalized.contains($0.offset) }.map(\.element))]
    }
}

struct ShapeKernel: Kernel {
    let start: Int
    let end: Int?

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let data = try inputs.required(0)
        func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + data.rank : v, 0), data.rank) }
        let lower = clamp(start), upper = max(lower, clamp(end ?? data.rank))
        let dims = data.shape[lower..<upper].map { Int64($0) }
        return [Tensor(shape: [dims.count], int64s: dims)]
    }
}
