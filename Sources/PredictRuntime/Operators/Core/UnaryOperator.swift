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
        case .float32(let v): storage = .float32(map(v, alpha: alpha, exp: expf, log: logf, tanh: tanhf))
        case .float64(let v): storage = .float64(map(v, alpha: Double(alpha), exp: Foundation.exp, log: Foundation.log, tanh: Foundation.tanh))
        case .int64(let v): storage = .int64(integers(v))
        case .int32(let v): storage = .int32(integers(v))
        default: throw RuntimeError.invalidInput("\(function.rawValue) does not take \(x.elementType.rawValue)")
        }
        return [Tensor(shape: x.shape, storage: storage)]
    }

    private func map<T: BinaryFloatingPoint>(_ v: [T], alpha: T, exp: (T) -> T, log: (T) -> T, tanh: (T) -> T) -> [T] {
        switch function {
        case .relu: v.map { $0 < 0 ? 0 : $0 }
        case .leakyRelu: v.map { $0 < 0 ? $0 * alpha : $0 }
        case .sigmoid: v.map { x in x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x)) }
        case .tanh: v.map(tanh)
        case .abs: v.map { Swift.abs($0) }
        case .neg: v.map { -$0 }
        case .exp: v.map(exp)
        case .log: v.map(log)
        }
    }

    /// Integer Abs and Neg wrap at the minimum value, as two's complement does in onnxruntime.
    private func integers<T: FixedWidthInteger & SignedInteger>(_ v: [T]) -> [T] {
        switch function {
        case .relu: v.map { Swift.max($0, 0) }
        case .neg: v.map { 0 &- $0 }
        default: v.map { $0 == T.min ? T.min : Swift.abs($0) }
        }
    }
}
