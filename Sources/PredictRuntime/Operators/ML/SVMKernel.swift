import Foundation

/// The kernel function k(x, v) of ai.onnx.ml SVMClassifier and SVMRegressor, from the
/// `kernel_type` and `kernel_params` ([gamma, coef0, degree]) attributes:
/// LINEAR x·v, POLY (gamma x·v + coef0)^degree, RBF exp(-gamma |x - v|²),
/// SIGMOID tanh(gamma x·v + coef0).
struct SVMKernel: Sendable {
    enum Function: String, CaseIterable, Sendable {
        case linear = "LINEAR"
        case poly = "POLY"
        case rbf = "RBF"
        case sigmoid = "SIGMOID"
    }

    let function: Function
    let gamma: Float
    let coef0: Float
    let degree: Float

    /// The plain dot product, used by both SVMs when they carry weights instead of support vectors.
    static let linear = SVMKernel(function: .linear, gamma: 0, coef0: 0, degree: 0)

    /// Reads `kernel_type` (default LINEAR) and `kernel_params`, which onnxruntime requires.
    static func read(_ context: NodeContext) throws -> SVMKernel {
        let name = try context.attributes.choice("kernel_type", default: "LINEAR", allowed: Function.allCases.map(\.rawValue))
        guard let params = try context.attributes.floats("kernel_params") else {
            throw context.invalid("attribute 'kernel_params' ([gamma, coef0, degree]) is required")
        }
        guard params.isEmpty || params.count == 3 else {
            throw context.invalid("attribute 'kernel_params' has \(params.count) values; expected 3 (gamma, coef0, degree)")
        }
        let (gamma, coef0, degree) = params.isEmpty ? (0, 0, 0) : (params[0], params[1], params[2])
        return SVMKernel(function: Function(rawValue: name)!, gamma: gamma, coef0: coef0, degree: degree)
    }
}

/// A kernel bound to its vectors (support vectors, or a linear model's weight rows), computing
/// k(x, vᵢ) for a batch of rows in float32 as onnxruntime does: the dot-product kernels through
/// its GEMM (`PackedMatrix.multiply`, then gamma · dot + coef0 fused), RBF by its plain float32
/// loop (`PackedMatrix.squaredDistances`).
struct SVMKernelMatrix: Sendable {
    let kernel: SVMKernel
    /// The number of vectors: the width of each output row.
    var count: Int { vectors.outputs }
    private let vectors: PackedMatrix

    init(_ kernel: SVMKernel, vectors: [Float], count: Int, features: Int) {
        self.kernel = kernel
        self.vectors = PackedMatrix(vectors, outputs: count, features: features)
    }

    /// Writes out[r · count + i] = k(row r, vᵢ) for `rows` rows of features at `x`.
    /// `bias` is added by the LINEAR kernel only (onnxruntime's linear-mode intercept).
    func evaluate(_ x: UnsafePointer<Float>, rows: Int, bias: Float = 0, into out: UnsafeMutablePointer<Float>) {
        let total = rows * count
        switch kernel.function {
        case .linear:
            vectors.multiply(x, rows: rows, into: out)
            if bias != 0 {
                for i in 0..<total { out[i] += bias }
            }
        case .poly:
            vectors.multiply(x, rows: rows, into: out)
            for i in 0..<total {
                let base = fusedMultiplyAdd(kernel.gamma, out[i], kernel.coef0)
                out[i] = switch kernel.degree {
                case 2: base * base
                case 3: base * base * base
                default: powf(base, kernel.degree)
                }
            }
        case .sigmoid:
            vectors.multiply(x, rows: rows, into: out)
            for i in 0..<total {
                out[i] = tanhf(fusedMultiplyAdd(kernel.gamma, out[i], kernel.coef0))
            }
        case .rbf:
            vectors.squaredDistances(x, rows: rows, into: out)
            for i in 0..<total { out[i] = expf(-kernel.gamma * out[i]) }
        }
    }
}
