/// Less, LessOrEqual, Greater, GreaterOrEqual and Equal with NumPy broadcasting, to BOOL.
/// (skl2onnx's one-vs-rest SVC graph compares scores with Less.) NaN compares false.
enum ComparisonOperator {
    enum Function: String, CaseIterable, Sendable {
        case less = "Less", lessOrEqual = "LessOrEqual", greater = "Greater", greaterOrEqual = "GreaterOrEqual", equal = "Equal"
    }

    static func compile(_ context: NodeContext, _ function: Function) throws -> CompiledNode {
        try context.expectInputs(2...2)
        try context.expectOutputs(1...1)
        var types: Set<ElementType> = [.float32, .float64, .int64, .int32]
        if function == .equal { types.formUnion([.bool, .string]) }
        let a = try context.input(0, of: types), b = try context.input(1, of: types)
        guard a.elementType == b.elementType else {
            throw context.invalid("inputs have different element types \(a.elementType.rawValue) and \(b.elementType.rawValue)")
        }
        return CompiledNode(kernel: ComparisonKernel(function: function), outputs: [OutputType(elementType: .bool, shape: Broadcasting.shape(a.shape, b.shape))])
    }
}

struct ComparisonKernel: Kernel {
    let function: ComparisonOperator.Function

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let a = try inputs.required(0), b = try inputs.required(1)
        let r: (values: [Bool], shape: [Int])
        switch (a.storage, b.storage) {
        case (.float32(let x), .float32(let y)): r = try compare(x, a.shape, y, b.shape)
        case (.float64(let x), .float64(let y)): r = try compare(x, a.shape, y, b.shape)
        case (.int64(let x), .int64(let y)): r = try compare(x, a.shape, y, b.shape)
        case (.int32(let x), .int32(let y)): r = try compare(x, a.shape, y, b.shape)
        case (.string(let x), .string(let y)): r = try Broadcasting.apply(x, a.shape, y, b.shape, ==)
        case (.bool(let x), .bool(let y)): r = try Broadcasting.apply(x, a.shape, y, b.shape, ==)
        default: throw RuntimeError.invalidInput("\(function.rawValue) inputs have types \(a.elementType.rawValue) and \(b.elementType.rawValue)")
        }
        return [Tensor(shape: r.shape, bools: r.values)]
    }

    private func compare<T: Comparable>(_ x: [T], _ xs: [Int], _ y: [T], _ ys: [Int]) throws -> (values: [Bool], shape: [Int]) {
        switch function {
        case .less: try Broadcasting.apply(x, xs, y, ys, <)
        case .lessOrEqual: try Broadcasting.apply(x, xs, y, ys, <=)
        case .greater: try Broadcasting.apply(x, xs, y, ys, >)
        case .greaterOrEqual: try Broadcasting.apply(x, xs, y, ys, >=)
        case .equal: try Broadcasting.apply(x, xs, y, ys, ==)
        }
    }
}
