/// A weight matrix W [outputs, features] for the per-row products of the linear and SVM
/// kernels: W·x for many rows x through OpenBLAS (whose FMA kernels round as onnxruntime's MLAS
/// does to within the last bits), and squared distances ‖x − W[o]‖² for the RBF kernel, over
/// a copy packed in blocks of four outputs for SIMD.
struct PackedMatrix: Sendable {
    let outputs: Int
    let features: Int
    /// Blocks of 4 outputs, each [features][4] (the last block zero-padded), for distances.
    private let packed: [Float]
    /// Row-major [outputs, features], for products.
    private let weights: [Float]

    init(_ weights: [Float], outputs: Int, features: Int) {
        precondition(weights.count == outputs * features && features > 0, "weights do not hold \(outputs)×\(features) values")
        var packed = [Float](repeating: 0, count: (outputs + 3) / 4 * features * 4)
        for o in 0..<outputs {
            for k in 0..<features {
                packed[(o / 4) * features * 4 + k * 4 + o % 4] = weights[o * features + k]
            }
        }
        self.outputs = outputs
        self.features = features
        self.packed = packed
        self.weights = weights
    }

    /// Writes out[r · outputs + o] = Σₖ x[r · features + k] · W[o, k] for each of the
    /// x.count / features rows of `x`; `out` holds rows · outputs values.
    func multiply(_ x: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>) {
        guard let rows = x.baseAddress, let results = out.baseAddress else { return }
        multiply(rows, rows: x.count / features, into: results)
    }

    /// x · Wᵀ + bias for every row of `x`: the bias rows are written first and the product
    /// accumulates onto them, so the intercepts cost no pass of their own.
    func affine(_ x: UnsafeBufferPointer<Float>, bias: [Float]) -> [Float] {
        let rows = x.count / features
        return [Float](unsafeUninitializedCapacity: rows * outputs) { out, initialized in
            let o = out.baseAddress!
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows { (o + r * outputs).initialize(from: b.baseAddress!, count: outputs) }
            }
            weights.withUnsafeBufferPointer { w in
                MatrixMultiply.gemm(transA: false, transB: true, m: rows, n: outputs, k: features, alpha: 1, a: x.baseAddress!, b: w.baseAddress!, beta: 1, c: o)
            }
            initialized = rows * outputs
        }
    }

    /// Writes out[r · outputs + o] = Σₖ x[r · features + k] · W[o, k] for `rows` rows.
    func multiply(_ x: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>) {
        weights.withUnsafeBufferPointer { w in
            MatrixMultiply.gemm(transA: false, transB: true, m: rows, n: outputs, k: features, alpha: 1, a: x, b: w.baseAddress!, beta: 0, c: out)
        }
    }

    /// Writes out[r · outputs + o] = Σₖ (x[r · features + k] − W[o, k])² for `rows` rows, in
    /// float32 with a separate multiply and add per feature in order, as onnxruntime's RBF loop.
    func squaredDistances(_ x: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>) {
        let blocks = (outputs + 3) / 4
        let features = features
        packed.withUnsafeBufferPointer { packedBuffer in
            let weights = packedBuffer.baseAddress!
            var r = 0
            while r + 4 <= rows {
                let x0 = x + r * features, x1 = x0 + features, x2 = x1 + features, x3 = x2 + features
                for b in 0..<blocks {
                    let w = weights + b * features * 4
                    var a0 = SIMD4<Float>(), a1 = SIMD4<Float>(), a2 = SIMD4<Float>(), a3 = SIMD4<Float>()
                    for k in 0..<features {
                        let wk = UnsafeRawPointer(w + k * 4).loadUnaligned(as: SIMD4<Float>.self)
                        let d0 = SIMD4(repeating: x0[k]) - wk, d1 = SIMD4(repeating: x1[k]) - wk
                        let d2 = SIMD4(repeating: x2[k]) - wk, d3 = SIMD4(repeating: x3[k]) - wk
                        a0 = a0 + d0 * d0
                        a1 = a1 + d1 * d1
                        a2 = a2 + d2 * d2
                        a3 = a3 + d3 * d3
                    }
                    store(a0, out + r * outputs, block: b)
                    store(a1, out + (r + 1) * outputs, block: b)
                    store(a2, out + (r + 2) * outputs, block: b)
                    store(a3, out + (r + 3) * outputs, block: b)
                }
                r += 4
            }
            // Leftover rows one at a time, four blocks at once.
            while r < rows {
                let x0 = x + r * features, y = out + r * outputs
                var b = 0
                while b + 4 <= blocks {
                    let w0 = weights + b * features * 4, w1 = w0 + features * 4
                    let w2 = w1 + features * 4, w3 = w2 + features * 4
                    var a0 = SIMD4<Float>(), a1 = SIMD4<Float>(), a2 = SIMD4<Float>(), a3 = SIMD4<Float>()
                    for k in 0..<features {
                        let xk = SIMD4(repeating: x0[k])
                        let d0 = xk - UnsafeRawPointer(w0 + k * 4).loadUnaligned(as: SIMD4<Float>.self)
                        let d1 = xk - UnsafeRawPointer(w1 + k * 4).loadUnaligned(as: SIMD4<Float>.self)
                        let d2 = xk - UnsafeRawPointer(w2 + k * 4).loadUnaligned(as: SIMD4<Float>.self)
                        let d3 = xk - UnsafeRawPointer(w3 + k * 4).loadUnaligned(as: SIMD4<Float>.self)
                        a0 = a0 + d0 * d0
                        a1 = a1 + d1 * d1
                        a2 = a2 + d2 * d2
                        a3 = a3 + d3 * d3
                    }
                    store(a0, y, block: b)
                    store(a1, y, block: b + 1)
                    store(a2, y, block: b + 2)
                    store(a3, y, block: b + 3)
                    b += 4
                }
                while b < blocks {
                    let w = weights + b * features * 4
                    var a0 = SIMD4<Float>()
                    for k in 0..<features {
                        let d0 = SIMD4(repeating: x0[k]) - UnsafeRawPointer(w + k * 4).loadUnaligned(as: SIMD4<Float>.self)
                        a0 = a0 + d0 * d0
                    }
                    store(a0, y, block: b)
                    b += 1
                }
                r += 1
            }
        }
    }

    @inline(__always)
    private func store(_ values: SIMD4<Float>, _ row: UnsafeMutablePointer<Float>, block: Int) {
        let first = block * 4
        for j in 0..<min(4, outputs - first) { row[first + j] = values[j] }
    }


}

/// c + a · b rounded once to float32, like the FMA instruction onnxruntime's kernels use
/// (computed in float64, where a float32 product is exact, so baseline x86-64 builds agree).
@inline(__always)
func fusedMultiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
    Float(Double(c) + Double(a) * Double(b))
}
