import Foundation

/// The `post_transform` of ai.onnx.ml classifiers and regressors, computed in float32 with the
/// same formulas as onnxruntime (its PROBIT uses an approximation of erf⁻¹, which we follow so
/// results agree to the last bits, not the exact inverse).
enum PostTransform: String, Sendable, CaseIterable {
    case none = "NONE"
    case logistic = "LOGISTIC"
    case softmax = "SOFTMAX"
    case softmaxZero = "SOFTMAX_ZERO"
    case probit = "PROBIT"

    /// Reads the node's `post_transform` attribute (default NONE).
    static func read(_ context: NodeContext) throws -> PostTransform {
        let name = try context.attributes.choice("post_transform", default: "NONE", allowed: allCases.map(\.rawValue))
        return PostTransform(rawValue: name)!
    }

    /// Transforms one row of scores in place.
    @inline(__always)
    func apply(_ row: UnsafeMutableBufferPointer<Float>) {
        switch self {
        case .none:
            break
        case .logistic:
            for i in row.indices { row[i] = Self.logistic(row[i]) }
        case .probit:
            for i in row.indices { row[i] = Self.probit(row[i]) }
        case .softmax:
            Self.softmax(row)
        case .softmaxZero:
            Self.softmaxZero(row)
        }
    }

    /// 1 / (1 + e^-x), written so that large |x| reaches exactly 0 or 1 without overflow.
    @inline(__always)
    static func logistic(_ x: Float) -> Float {
        let v = 1 / (1 + expf(-abs(x)))
        return x < 0 ? 1 - v : v
    }

    /// √2 · erf⁻¹(2x − 1), with onnxruntime's erf⁻¹ approximation (a = 0.147).
    @inline(__always)
    static func probit(_ x: Float) -> Float {
        var y = 2 * x - 1
        let sign: Float = y < 0 ? -1 : 1
        y = (1 - y) * (1 + y)
        let l = logf(y)
        let v = 2 / (Float.pi * 0.147) + 0.5 * l  // onnxruntime 1.32 uses (float)M_PI here
        let v2 = 1 / Float(0.147) * l
        let v3 = -v + (v * v - v2).squareRoot()
        return 1.41421356 * sign * v3.squareRoot()
    }

    /// Softmax with the maximum subtracted first, so no exponent overflows.
    @inline(__always)
    static func softmax(_ row: UnsafeMutableBufferPointer<Float>) {
        var maximum = -Float.greatestFiniteMagnitude
        for v in row where v > maximum { maximum = v }
        var sum: Float = 0
        for i in row.indices {
            row[i] = expf(row[i] - maximum)
            sum += row[i]
        }
        for i in row.indices { row[i] /= sum }
    }

    /// Softmax over the non-zero scores only; zeros stay (near) zero, as onnxruntime does.
    @inline(__always)
    static func softmaxZero(_ row: UnsafeMutableBufferPointer<Float>) {
        var maximum = -Float.greatestFiniteMagnitude
        for v in row where v > maximum { maximum = v }
        let expNegMax = expf(-maximum)
        var sum: Float = 0
        for i in row.indices {
            if row[i] > 0.0000001 || row[i] < -0.0000001 {
                row[i] = expf(row[i] - maximum)
                sum += row[i]
            } else {
                row[i] *= expNegMax
            }
        }
        for i in row.indices { row[i] /= sum }
    }
}
