/// ai.onnx.ml Normalizer: scales each row of a [N, F] or [F] input by its MAX, L1 or L2 norm,
/// giving float32 of the same shape. A row whose norm is zero is passed through unchanged.
///
/// Follows onnxruntime's arithmetic exactly: MAX divides by the largest value (skipping NaN,
/// and even when it is negative), L1 sums |x| in float32, and L2 squares in the input's own
/// type (so int32 squares wrap) before summing in float32 and restoring each value's sign.
enum NormalizerOperator {
    enum Norm: String, CaseIterable, Sendable {
        case max = "MAX"
        case l1 = "L1"
        case l2 = "L2"
    }

    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...1)
        let name = try context.attributes.choice("norm", default: "MAX", allowed: Norm.allCases.map(\.rawValue))
        let input = try FeatureMatrix.checkInput(context, expectedFeatures: nil)
        return CompiledNode(
            kernel: NormalizerKernel(node: context.description, norm: Norm(rawValue: name)!),
            outputs: [OutputType(elementType: .float32, shape: input.shape)])
    }
}

struct NormalizerKernel: Kernel {
    let node: String
    let norm: NormalizerOperator.Norm

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0)
        guard let layout = FeatureMatrix.layout(x.shape) else {
            throw RuntimeError.invalidInput("\(node): the input must have rank 1 or 2; got shape \(x.shape)")
        }
        let values: [Float]
        switch x.storage {
        case .float32(let v): values = normalize(v, layout.features)
        case .float64(let v): values = normalize(v, layout.features)
        case .int64(let v): values = normalize(v, layout.features)
        case .int32(let v): values = normalize(v, layout.features)
        case .string, .bool:
            throw RuntimeError.internalFailure("\(node): input of type \(x.elementType.rawValue) reached a numeric kernel")
        }
        return [Tensor(shape: x.shape, floats: values)]
    }

    private func normalize<T: NormalizerElement>(_ input: [T], _ width: Int) -> [Float] {
        var out = [Float](repeating: 0, count: input.count)
        guard width > 0 else { return out }
        input.withUnsafeBufferPointer { xs in
            out.withUnsafeMutableBufferPointer { ys in
                var start = 0
                while start < xs.count {
                    let end = start + width
                    switch norm {
                    case .max:
                        var maximum = -Float.greatestFiniteMagnitude
                        for i in start..<end where maximum < xs[i].float { maximum = xs[i].float }
                        for i in start..<end { ys[i] = maximum != 0 ? xs[i].float / maximum : xs[i].float }
                    case .l1:
                        var sum: Float = 0
                        for i in start..<end { sum += xs[i].absFloat }
                        for i in start..<end { ys[i] = sum != 0 ? xs[i].float / sum : xs[i].float }
                    case .l2:
                        var sum: Float = 0
                        for i in start..<end {
                            ys[i] = xs[i].squareFloat
                            sum += ys[i]
                        }
                        for i in start..<end {
                            if sum != 0 {
                                let magnitude = (ys[i] / sum).squareRoot()
                                ys[i] = xs[i].isNegative ? -magnitude : magnitude
                            } else {
                                ys[i] = xs[i].float
                            }
                        }
                    }
                    start = end
                }
            }
        }
        return out
    }
}

/// An input element as onnxruntime's Normalizer sees it.
private protocol NormalizerElement {
    var float: Float { get }
    /// |x| computed in the element's type, then converted.
    var absFloat: Float { get }
    /// x · x computed in the element's type (wrapping for integers), then converted.
    var squareFloat: Float { get }
    var isNegative: Bool { get }
}

extension Float: NormalizerElement {
    fileprivate var float: Float { self }
    fileprivate var absFloat: Float { abs(self) }
    fileprivate var squareFloat: Float { self * self }
    fileprivate var isNegative: Bool { self < 0 }
}

extension Double: NormalizerElement {
    fileprivate var float: Float { Float(self) }
    fileprivate var absFloat: Float { Float(abs(self)) }
    fileprivate var squareFloat: Float { Float(self * self) }
    fileprivate var isNegative: Bool { self < 0 }
}

extension Int64: NormalizerElement {
    fileprivate var float: Float { Float(self) }
    fileprivate var absFloat: Float { Float(magnitude) }
    fileprivate var squareFloat: Float { Float(self &* self) }
    fileprivate var isNegative: Bool { self < 0 }
}

extension Int32: NormalizerElement {
    fileprivate var float: Float { Float(self) }
    fileprivate var absFloat: Float { Float(magnitude) }
    fileprivate var squareFloat: Float { Float(self &* self) }
    fileprivate var isNegative: Bool { self < 0 }
}
