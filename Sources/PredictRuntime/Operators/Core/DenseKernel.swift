/// A fully connected layer, y = act(x · W + b), fused at load time from MatMul → Add → an
/// activation (see `KernelFusion`). One output buffer is filled with the bias rows, the product
/// accumulates onto it (beta = 1) and the activation runs in place: one allocation and one
/// pass instead of three.
struct DenseKernel: Kernel {
    enum Parameters: Sendable {
        case float32(weights: [Float], bias: [Float])
        case float64(weights: [Double], bias: [Double])
    }

    enum Activation: Sendable, Equatable { case none, relu, leakyRelu(alpha: Float), sigmoid }

    let parameters: Parameters
    let inputs: Int
    let outputs: Int
    let activation: Activation

    func run(_ arguments: [Tensor?]) throws -> [Tensor] {
        let x = try arguments.required(0)
        // Concrete cases here, so the generic layer below is specialized per element type
        // (a generic kernel behind `any Kernel` would run unspecialized).
        switch (parameters, x.storage) {
        case (.float32(let w, let b), .float32(let v)): return [try layer(x.shape, v, w, b)]
        case (.float64(let w, let b), .float64(let v)): return [try layer(x.shape, v, w, b)]
        default: throw RuntimeError.invalidInput("MatMul input has type \(x.elementType.rawValue)")
        }
    }

    @inline(__always)
    private func layer<T: MatrixElement & BinaryFloatingPoint & ElementaryFunctions & BranchFreeRelu>(
        _ shape: [Int], _ values: [T], _ weights: [T], _ bias: [T]
    ) throws -> Tensor {
        guard let features = shape.last, features == inputs else {
            throw RuntimeError.invalidInput("MatMul inner dimensions differ: \(shape) × [\(inputs), \(outputs)]")
        }
        let rows = values.count / inputs
        let count = rows * outputs
        let result = [T](unsafeUninitializedCapacity: count) { out, initialized in
            let o = out.baseAddress!
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows { (o + r * outputs).initialize(from: b.baseAddress!, count: outputs) }
            }
            values.withUnsafeBufferPointer { a in
                weights.withUnsafeBufferPointer { w in
                    T.gemm(transA: false, transB: false, m: rows, n: outputs, k: inputs, alpha: 1, a: a.baseAddress!, b: w.baseAddress!, beta: 1, c: o)
                }
            }
            switch activation {
            case .none: break
            case .relu: T.relu(o, count)
            case .leakyRelu(let alpha): for i in 0..<count where o[i] < 0 { o[i] *= T(alpha) }
            case .sigmoid: for i in 0..<count { o[i] = UnaryKernel.sigmoid(o[i]) }
            }
            initialized = count
        }
        return Tensor(shape: Array(shape.dropLast()) + [outputs], storage: T.wrap(result))
    }
}

/// max(x, 0) in place without a branch per element (signs after a layer are random, so a
/// branch mispredicts half the time): clearing every bit of a value whose sign bit is set is a
/// pure integer operation the compiler vectorizes. Negative values and -0 become +0; NaN
/// becomes 0 as in onnxruntime's MLAS activation.
protocol BranchFreeRelu {
    static func relu(_ values: UnsafeMutablePointer<Self>, _ count: Int)
}

extension Float: BranchFreeRelu {
    static func relu(_ values: UnsafeMutablePointer<Float>, _ count: Int) {
        values.withMemoryRebound(to: Int32.self, capacity: count) { bits in
            for i in 0..<count { bits[i] &= ~(bits[i] >> 31) }
        }
    }
}

extension Double: BranchFreeRelu {
    static func relu(_ values: UnsafeMutablePointer<Double>, _ count: Int) {
        values.withMemoryRebound(to: Int64.self, capacity: count) { bits in
            for i in 0..<count { bits[i] &= ~(bits[i] >> 63) }
        }
    }
}
