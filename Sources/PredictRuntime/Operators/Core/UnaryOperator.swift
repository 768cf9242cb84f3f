import Foundation

/// The elementwise functions of one input: activations (Relu, LeakyRelu, Sigmoid, Tanh) and
/// Abs, Neg, Exp, Log. Sigmoid is computed so that far-out inputs reach exactly 0 or 1.
enum UnaryOperator {
    enum Function: String, CaseIterable, Sendable {
        case relu = "Relu", leakyRelu = "LeakyRelu", sigmoid = "Sigmoid", tanh = "Tanh"
        case abs = "Abs", neg = "Neg", exp = "Exp", log = "Log"

        /// Relu, Abs and Neg are defined on integers too; the rest on floating point only.
        var types: Set<ElementType> {
            [.relu, .abs, .neg].contains(self) ? [.float32, .float64, .int64, .int32] : [.float32, .float64]
        }
    }

    static func compile(_ context: NodeContext, _ function: Function) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...1)
        context.attributes.ignore("consumed_inputs")
        let input = try context.input(0, of: function.types)
        let alpha = function == .leakyRelu ? try context.attributes.float("alpha", default: 0.01) : 0
        return CompiledNode(kernel: UnaryKernel(function: function, alpha: alpha), outputs: [OutputType(elementType: input.elementType, shape: input.shape)])
    }
}

struct UnaryKernel: Kernel {
    let function: UnaryOperator.Function
    let alpha: Float

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0)
        let storage: Tensor.Storage
        switch x.storage {
        case .float32(let v): storage = .float32(floating(v, alpha: alpha))
        case .float64(let v): storage = .float64(floating(v, alpha: Double(alpha)))
        case .int64(let v): storage = .int64(integers(v))
        case .int32(let v): storage = .int32(integers(v))
        default: throw RuntimeError.invalidInput("\(function.rawValue) does not take \(x.elementType.rawValue)")
        }
        return [Tensor(shape: x.shape, storage: storage)]
    }

    /// 1 / (1 + e^-x) on the side where the exponent cannot overflow.
    @inline(__always)
    static func sigmoid<T: BinaryFloatingPoint & ElementaryFunctions>(_ x: T) -> T {
        x >= 0 ? 1 / (1 + T.exp(-x)) : T.exp(x) / (1 + T.exp(x))
    }

    private func floating<T: BinaryFloatingPoint & ElementaryFunctions>(_ v: [T], alpha: T) -> [T] {
        switch function {
        case .relu: Self.map(v) { $0 < 0 ? 0 : $0 }
        case .leakyRelu: Self.map(v) { $0 < 0 ? $0 * alpha : $0 }
        case .sigmoid: Self.map(v) { Self.sigmoid($0) }
        case .tanh: Self.map(v, T.tanh)
        case .abs: Self.map(v) { Swift.abs($0) }
        case .neg: Self.map(v) { -$0 }
        case .exp: Self.map(v, T.exp)
        case .log: Self.map(v, T.log)
        }
    }

    /// Integer Abs and Neg wrap at the minimum value, as two's complement does in onnxruntime.
    private func integers<T: FixedWidthInteger & SignedInteger>(_ v: [T]) -> [T] {
        switch function {
        case .relu: Self.map(v) { Swift.max($0, 0) }
        case .neg: Self.map(v) { 0 &- $0 }
        default: Self.map(v) { $0 == T.min ? T.min : Swift.abs($0) }
        }
    }

    /// A tight loop over raw buffers, which the compiler vectorizes where `f` allows.
    @inline(__always)
    static func map<T>(_ v: [T], _ f: (T) -> T) -> [T] {
        [T](unsafeUninitializedCapacity: v.count) { out, initialized in
            v.withUnsafeBufferPointer { input in
                for i in input.indices { (out.baseAddress! + i).initialize(to: f(input[i])) }
            }
            initialized = v.count
        }
    }
}

/// exp, log and tanh for both float widths, so activations are written once.
protocol ElementaryFunctions {
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    static func tanh(_ x: Self) -> Self
}

extension Float: ElementaryFunctions {
    static func exp(_ x: Float) -> Float { expf(x) }
    static func log(_ x: Float) -> Float { logf(x) }
    static func tanh(_ x: Float) -> Float { tanhf(x) }
}

extension Double: ElementaryFunctions {
    static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    static func log(_ x: Double) -> Double { Foundation.log(x) }
    static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
}
