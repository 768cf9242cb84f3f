import Foundation

/// Softmax. Before opset 13 the input is viewed as 2-D at `axis` (default 1) and normalised
/// over the second dimension; from 13 it is normalised along `axis` (default -1). The maximum
/// is subtracted first, so no exponent overflows.
enum SoftmaxOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...1)
        let input = try context.input(0, of: [.float32, .float64])
        let axis = try context.attributes.int("axis", default: context.opset >= 13 ? -1 : 1)
        return CompiledNode(kernel: SoftmaxKernel(axis: axis, coerceTo2D: context.opset < 13), outputs: [OutputType(elementType: input.elementType, shape: input.shape)])
    }
}

struct SoftmaxKernel: Kernel {
    let axis: Int
    let coerceTo2D: Bool

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0)
        let a = axis < 0 ? axis + x.rank : axis
        guard (0..<max(x.rank, 1)).contains(a) || (coerceTo2D && a == x.rank) else {
            throw RuntimeError.invalidInput("Softmax axis \(axis) is out of range for shape \(x.shape)")
        }
        // Softmax runs over `length` elements spaced `stride` apart, `outer * stride` times.
        let (outer, length, stride) = coerceTo2D
            ? (x.shape[..<a].reduce(1, *), x.shape[a...].reduce(1, *), 1)
            : (x.shape[..<a].reduce(1, *), x.shape[a], x.shape[(a + 1)...].reduce(1, *))
        switch x.storage {
        case .float32(var v):
            v.withUnsafeMutableBufferPointer { Self.softmax($0, outer, length, stride, exp: expf) }
            return [Tensor(shape: x.shape, floats: v)]
        case .float64(var v):
            v.withUnsafeMutableBufferPointer { Self.softmax($0, outer, length, stride, exp: Foundation.exp) }
            return [Tensor(shape: x.shape, doubles: v)]
        default:
            throw RuntimeError.invalidInput("Softmax does not take \(x.elementType.rawValue)")
        }
    }

    private static func softmax<T: BinaryFloatingPoint>(_ v: UnsafeMutableBufferPointer<T>, _ outer: Int, _ length: Int, _ stride: Int, exp: (T) -> T) {
        for o in 0..<outer {
            for s in 0..<stride {
                let base = o * length * stride + s
                var maximum = -T.greatestFiniteMagnitude
                for i in 0..<length where v[base + i * stride] > maximum { maximum = v[base + i * stride] }
                var sum: T = 0
                for i in 0..<length {
                    let e = exp(v[base + i * stride] - maximum)
                    v[base + i * stride] = e
                    sum += e
                }
                for i in 0..<length { v[base + i * stride] /= sum }
            }
        }
    }
}
