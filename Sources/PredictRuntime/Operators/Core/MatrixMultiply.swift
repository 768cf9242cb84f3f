import COpenBLAS

/// Row-major matrix products C = alpha·op(A)·op(B) + beta·C. Float and double go to OpenBLAS
/// (its pthread build, held to one thread: workers are already one thread per pinned CPU);
/// integers use a plain loop.
enum MatrixMultiply {
    /// OpenBLAS builds that own a thread pool would fight the pinned workers for CPUs.
    private static let singleThreaded: Void = openblas_set_num_threads(1)

    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, beta: Float, c: UnsafeMutablePointer<Float>
    ) {
        _ = singleThreaded
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(transA ? m : k), b, Int32(transB ? k : n), beta, c, Int32(n))
    }

    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, b: UnsafePointer<Double>, beta: Double, c: UnsafeMutablePointer<Double>
    ) {
        _ = singleThreaded
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(transA ? m : k), b, Int32(transB ? k : n), beta, c, Int32(n))
    }

    /// Integer products wrap on overflow, as onnxruntime's do.
    static func gemm<T: FixedWidthInteger>(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: T,
        a: UnsafePointer<T>, b: UnsafePointer<T>, beta: T, c: UnsafeMutablePointer<T>
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var sum: T = 0
                for p in 0..<k {
                    let x = transA ? a[p * m + i] : a[i * k + p]
                    let y = transB ? b[j * k + p] : b[p * n + j]
                    sum &+= x &* y
                }
                c[i * n + j] = alpha &* sum &+ beta &* c[i * n + j]
            }
        }
    }
}

/// The element types `MatrixMultiply` handles, so MatMul and Gemm are written once.
protocol MatrixElement: NumericElement {
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, b: UnsafePointer<Self>, beta: Self, c: UnsafeMutablePointer<Self>)
}

extension Float: MatrixElement {
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, b: UnsafePointer<Float>, beta: Float, c: UnsafeMutablePointer<Float>) {
        MatrixMultiply.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, b: b, beta: beta, c: c)
    }
}

extension Double: MatrixElement {
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, b: UnsafePointer<Double>, beta: Double, c: UnsafeMutablePointer<Double>) {
        MatrixMultiply.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, b: b, beta: beta, c: c)
    }
}

extension Int64: MatrixElement {
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Int64, a: UnsafePointer<Int64>, b: UnsafePointer<Int64>, beta: Int64, c: UnsafeMutablePointer<Int64>) {
        MatrixMultiply.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, b: b, beta: beta, c: c)
    }
}

extension Int32: MatrixElement {
    static func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Int32, a: UnsafePointer<Int32>, b: UnsafePointer<Int32>, beta: Int32, c: UnsafeMutablePointer<Int32>) {
        MatrixMultiply.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, b: b, beta: beta, c: c)
    }
}
