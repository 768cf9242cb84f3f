/// Cast between the numeric and boolean types. Float to integer truncates toward zero; NaN
/// and out-of-range values become the type's minimum, as x86 conversion (and so onnxruntime)
/// gives. Casts to or from strings are not supported.
enum CastOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...1)
        let input = try context.input(0)
        guard let toCode = try context.attributes.int("to") else { throw context.invalid("attribute 'to' is required") }
        // Only change float8 conversions, which this runtime does not have.
        context.attributes.ignore("saturate", "round_mode")
        guard let target = Int32(exactly: toCode).flatMap(ElementType.init(onnx:)) else {
            throw context.unsupported("cast to \(ElementType.onnxName(Int32(clamping: toCode))) is not supported")
        }
        if (input.elementType == .string) != (target == .string) {
            throw context.unsupported("cast from \(input.elementType.rawValue) to \(target.rawValue) is not supported")
        }
        return CompiledNode(kernel: CastKernel(target: target), outputs: [OutputType(elementType: target, shape: input.shape)])
    }
}

struct CastKernel: Kernel {
    let target: ElementType

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0)
        guard x.elementType != target else { return [x] }
        let storage: Tensor.Storage
        switch x.storage {
        case .float32(let v): storage = Self.convert(v.map { Double($0) }, to: target)
        case .float64(let v): storage = Self.convert(v, to: target)
        case .int64(let v): storage = Self.convert(integers: v, to: target)
        case .int32(let v): storage = Self.convert(integers: v.map { Int64($0) }, to: target)
        case .bool(let v): storage = Self.convert(integers: v.map { $0 ? 1 : 0 }, to: target)
        case .string: throw RuntimeError.internalFailure("string cast reached the kernel")
        }
        return [Tensor(shape: x.shape, storage: storage)]
    }

    private static func convert(_ v: [Double], to target: ElementType) -> Tensor.Storage {
        switch target {
        case .float32: .float32(v.map { Float($0) })
        case .float64: .float64(v)
        case .int64: .int64(v.map { Int64(exactly: $0.rounded(.towardZero)) ?? Int64.min })
        case .int32: .int32(v.map { Int32(exactly: $0.rounded(.towardZero)) ?? Int32.min })
        case .bool: .bool(v.map { $0 != 0 })
        case .string: .string(v.map { String($0) })
        }
    }

    private static func convert(integers v: [Int64], to target: ElementType) -> Tensor.Storage {
        switch target {
        case .float32: .float32(v.map { Float($0) })
        case .float64: .float64(v.map { Double($0) })
        case .int64: .int64(v)
        case .int32: .int32(v.map { Int32(truncatingIfNeeded: $0) })
        case .bool: .bool(v.map { $0 != 0 })
        case .string: .string(v.map { String($0) })
        }
    }
}
