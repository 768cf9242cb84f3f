/// MatMul (NumPy semantics: 1-D operands promoted, leading batch dimensions broadcast) and
/// Gemm (Y = alpha·op(A)·op(B) + beta·C with C broadcast to the result).
enum MatrixOperators {
    static let types: Set<ElementType> = [.float32, .float64, .int64, .int32]

    static func compileMatMul(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(2...2)
        try context.expectOutputs(1...1)
        let a = try context.input(0, of: types), b = try context.input(1, of: types)
        guard a.elementType == b.elementType else { throw context.invalid("inputs have different element types") }
        var shape: [Dimension]? = nil
        if let sa = a.shape, let sb = b.shape, sa.count == 2, sb.count == 2 {
            if let ka = sa[1].fixedValue, let kb = sb[0].fixedValue, ka != kb {
                throw context.invalid("inner dimensions differ: \(a.shapeDescription) × \(b.shapeDescription)")
            }
            shape = [sa[0], sb[1]]
        }
        return CompiledNode(kernel: MatMulKernel(), outputs: [OutputType(elementType: a.elementType, shape: shape)])
    }

    static func compileGemm(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(2...3)
        try context.expectOutputs(1...1)
        let a = try context.input(0, of: types), b = try context.input(1, of: types)
        let c = context.inputs.count > 2 ? context.inputs[2] : nil
        guard a.elementType == b.elementType, c == nil || c!.elementType == a.elementType else {
            throw context.invalid("inputs have different element types")
        }
        context.attributes.ignore("broadcast")  // before opset 7; NumPy broadcasting covers it
        let kernel = GemmKernel(
            alpha: Double(try context.attributes.float("alpha", default: 1)),
            beta: Double(try context.attributes.float("beta", default: 1)),
            transA: try context.attributes.int("transA", default: 0) != 0,
            transB: try context.attributes.int("transB", default: 0) != 0)
        var shape: [Dimension]? = nil
        if let sa = a.shape, let sb = b.shape, sa.count == 2, sb.count == 2 {
            shape = [kernel.transA ? sa[1] : sa[0], kernel.transB ? sb[0] : sb[1]]
        }
        return CompiledNode(kernel: kernel, outputs: [OutputType(elementType: a.elementType, shape: shape)])
    }
}

struct MatMulKernel: Kernel {
    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let a = try inputs.required(0), b = try inputs.required(1)
        switch (a.storage, b.storage) {
        case (.float32(let x), .float32(let y)): return [try Self.matmul(x, a.shape, y, b.shape)]
        case (.float64(let x), .float64(let y)): return [try Self.matmul(x, a.shape, y, b.shape)]
        case (.int64(let x), .int64(let y)): return [try Self.matmul(x, a.shape, y, b.shape)]
        case (.int32(let x), .int32(let y)): return [try Self.matmul(x, a.shape, y, b.shape)]
        default: throw RuntimeError.invalidInput("MatMul inputs have types \(a.elementType.rawValue) and \(b.elementType.rawValue)")
        }
    }

    static func matmul<T: MatrixElement>(_ a: [T], _ aShape: [Int], _ b: [T], _ bShape: [Int]) throws -> Tensor {
        guard !aShape.isEmpty, !bShape.isEmpty else { throw RuntimeError.invalidInput("MatMul does not take scalars") }
        let sa = aShape.count == 1 ? [1] + aShape : aShape
        let sb = bShape.count == 1 ? bShape + [1] : bShape
        let m = sa[sa.count - 2], k = sa[sa.count - 1], n = sb[sb.count - 1]
        guard sb[sb.count - 2] == k else {
            throw RuntimeError.invalidInput("MatMul inner dimensions differ: \(aShape) × \(bShape)")
        }
        var shape: [Int]
        var out: [T]
        if sb.count == 2 {
            // The common case (weights as B): all of A's rows in one product.
            let rows = a.count / max(k, 1)
            out = [T](repeating: 0, count: rows * n)
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    out.withUnsafeMutableBufferPointer { pc in
                        T.gemm(transA: false, transB: false, m: rows, n: n, k: k, alpha: 1, a: pa.baseAddress!, b: pb.baseAddress!, beta: 0, c: pc.baseAddress!)
                    }
                }
            }
            shape = Array(sa.dropLast()) + [n]
        } else {
            let batchA = Array(sa.dropLast(2)), batchB = Array(sb.dropLast(2))
            guard let batch = Broadcasting.shape(batchA, batchB) else {
                throw RuntimeError.invalidInput("MatMul batch dimensions of \(aShape) and \(bShape) cannot be broadcast")
            }
            let count = batch.reduce(1, *)
            let strideA = Broadcasting.strides(batchA, broadcastTo: batch), strideB = Broadcasting.strides(batchB, broadcastTo: batch)
            out = [T](repeating: 0, count: count * m * n)
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    out.withUnsafeMutableBufferPointer { pc in
                        for i in 0..<count {
                            var rest = i, ia = 0, ib = 0
                            for axis in stride(from: batch.count - 1, through: 0, by: -1) {
                                let idx = rest % batch[axis]
                                rest /= batch[axis]
                                ia += idx * strideA[axis]
                                ib += idx * strideB[axis]
                            }
                            T.gemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1,
                                   a: pa.baseAddress! + ia * m * k, b: pb.baseAddress! + ib * k * n, beta: 0, c: pc.baseAddress! + i * m * n)
                        }
                    }
                }
            }
            shape = batch + [m, n]
        }
        if aShape.count == 1 { shape.remove(at: shape.count - 2) }
        if bShape.count == 1 { shape.removeLast() }
        return Tensor(shape: shape, storage: T.wrap(out))
    }
}

struct GemmKernel: Kernel {
    let alpha: Double
    let beta: Double
    let transA: Bool
    let transB: Bool

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let a = try inputs.required(0), b = try inputs.required(1)
        let c = inputs.count > 2 ? inputs[2] : nil
        switch (a.storage, b.storage, c?.storage) {
        case (.float32(let x), .float32(let y), let z): return [try gemm(x, a.shape, y, b.shape, z.map { _ in c!.floats! }, c?.shape, Float(alpha), Float(beta))]
        case (.float64(let x), .float64(let y), let z): return [try gemm(x, a.shape, y, b.shape, z.map { _ in c!.doubles! }, c?.shape, alpha, beta)]
        case (.int64(let x), .int64(let y), let z): return [try gemm(x, a.shape, y, b.shape, z.map { _ in c!.int64s! }, c?.shape, Int64(alpha), Int64(beta))]
        case (.int32(let x), .int32(let y), let z): return [try gemm(x, a.shape, y, b.shape, z.map { _ in c!.int32s! }, c?.shape, Int32(alpha), Int32(beta))]
        default: throw RuntimeError.invalidInput("Gemm inputs have types \(a.elementType.rawValue) and \(b.elementType.rawValue)")
        }
    }

    private func gemm<T: MatrixElement>(_ a: [T], _ aShape: [Int], _ b: [T], _ bShape: [Int], _ c: [T]?, _ cShape: [Int]?, _ alpha: T, _ beta: T) throws -> Tensor {
        guard aShape.count == 2, bShape.count == 2 else {
            throw RuntimeError.invalidInput("Gemm takes 2-D inputs, got \(aShape) and \(bShape)")
        }
        let m = transA ? aShape[1] : aShape[0], k = transA ? aShape[0] : aShape[1]
        let n = transB ? bShape[0] : bShape[1]
        guard (transB ? bShape[1] : bShape[0]) == k else {
            throw RuntimeError.invalidInput("Gemm inner dimensions differ: \(aShape) × \(bShape)")
        }
        var out = [T](repeating: 0, count: m * n)
        if let c, let cShape {
            guard cShape.count <= 2, let s = Broadcasting.shape(cShape, [m, n]), s == [m, n] else {
                throw RuntimeError.invalidInput("Gemm C of shape \(cShape) does not broadcast to [\(m), \(n)]")
            }
            let strides = Broadcasting.strides(cShape, broadcastTo: [m, n])
            for i in 0..<m {
                for j in 0..<n { out[i * n + j] = c[i * strides[0] + j * strides[1]] }
            }
        }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { pc in
                    T.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: pa.baseAddress!, b: pb.baseAddress!, beta: c == nil ? 0 : beta, c: pc.baseAddress!)
                }
            }
        }
        return Tensor(shape: [m, n], storage: T.wrap(out))
    }
}
