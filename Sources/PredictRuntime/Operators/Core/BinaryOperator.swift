/// Add, Sub, Mul and Div with NumPy broadcasting, on float, double, int64 and int32. Integer
/// arithmetic wraps on overflow (as onnxruntime's does); integer division by zero is an error.
enum BinaryOperator {
    enum Function: String, CaseIterable, Sendable {
        case add = "Add", sub = "Sub", mul = "Mul", div = "Div"
    }

    static func compile(_ context: NodeContext, _ function: Function) throws -> CompiledNode {
        try context.expectInputs(2...2)
        try context.expectOutputs(1...1)
        // Opsets before 7 only allowed the broadcasts that NumPy rules also give.
        context.attributes.ignore("broadcast", "consumed_inputs")
        if context.attributes.has("axis") { throw context.unsupported("legacy broadcasting with 'axis' is not supported") }
        let numeric: Set<ElementType> = [.float32, .float64, .int64, .int32]
        let a = try context.input(0, of: numeric)
        let b = try context.input(1, of: numeric)
        guard a.elementType == b.elementType else {
            throw context.invalid("inputs have different element types \(a.elementType.rawValue) and \(b.elementType.rawValue)")
        }
        return CompiledNode(kernel: BinaryKernel(function: function), outputs: [OutputType(elementType: a.elementType, shape: Broadcasting.shape(a.shape, b.shape))])
    }
}

struct BinaryKernel: Kernel {
    let function: BinaryOperator.Function

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let a = try inputs.required(0), b = try inputs.required(1)
        switch (a.storage, b.storage) {
        case (.float32(let x), .float32(let y)): return [try floating(x, a.shape, y, b.shape)]
        case (.float64(let x), .float64(let y)): return [try floating(x, a.shape, y, b.shape)]
        case (.int64(let x), .int64(let y)): return [try integer(x, a.shape, y, b.shape)]
        case (.int32(let x), .int32(let y)): return [try integer(x, a.shape, y, b.shape)]
        default: throw RuntimeError.invalidInput("\(function.rawValue) inputs have types \(a.elementType.rawValue) and \(b.elementType.rawValue)")
        }
    }

    private func floating<T: FloatingPoint & NumericElement>(_ x: [T], _ xs: [Int], _ y: [T], _ ys: [Int]) throws -> Tensor {
        let r = switch function {
        case .add: try Broadcasting.apply(x, xs, y, ys, +)
        case .sub: try Broadcasting.apply(x, xs, y, ys, -)
        case .mul: try Broadcasting.apply(x, xs, y, ys, *)
        case .div: try Broadcasting.apply(x, xs, y, ys, /)
        }
        return Tensor(shape: r.shape, storage: T.wrap(r.values))
    }

    private func integer<T: FixedWidthInteger & NumericElement>(_ x: [T], _ xs: [Int], _ y: [T], _ ys: [Int]) throws -> Tensor {
        // Checked before dividing, so the division itself cannot trap.
        if function == .div, y.contains(0) { throw RuntimeError.invalidInput("integer division by zero in Div") }
        let r = switch function {
        case .add: try Broadcasting.apply(x, xs, y, ys, &+)
        case .sub: try Broadcasting.apply(x, xs, y, ys, &-)
        case .mul: try Broadcasting.apply(x, xs, y, ys, &*)
        case .div: try Broadcasting.apply(x, xs, y, ys) { $0.dividedReportingOverflow(by: $1).partialValue }
        }
        return Tensor(shape: r.shape, storage: T.wrap(r.values))
    }
}
