/// ai.onnx.ml Scaler: Y = (X - offset) * scale per feature, float32 of the input's shape.
/// `offset` and `scale` have one value per feature or a single value for all.
///
/// As in onnxruntime, float64 inputs are computed in float64 and integers in float32, and the
/// feature of an element is its index modulo dimension 1 (dimension 0 for a 1-D input).
enum ScalerOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...1)
        guard let scale = try context.attributes.floats("scale"), !scale.isEmpty else {
            throw context.invalid("attribute 'scale' is required")
        }
        let offset = try context.attributes.floats("offset") ?? []
        guard offset.count == scale.count else {
            throw context.invalid("attribute 'offset' has \(offset.count) values but 'scale' has \(scale.count); they must have the same length")
        }
        let input = try context.input(0, of: FeatureMatrix.elementTypes)
        if let shape = input.shape {
            guard !shape.isEmpty else { throw context.invalid("input '\(input.name)' is a scalar; rank 1 or more is required") }
            let stride = shape.count == 1 ? shape[0] : shape[1]
            if scale.count != 1, let features = stride.fixedValue, features != scale.count {
                throw context.invalid("attributes 'scale' and 'offset' have \(scale.count) values but input '\(input.name)' has \(features) features (shape \(input.shapeDescription))")
            }
        }
        return CompiledNode(
            kernel: ScalerKernel(node: context.description, offset: offset, scale: scale),
            outputs: [OutputType(elementType: .float32, shape: input.shape)])
    }
}

struct ScalerKernel: Kernel {
    let node: String
    let offset: [Float]
    let scale: [Float]

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0)
        guard !x.shape.isEmpty else {
            throw RuntimeError.invalidInput("\(node): the input is a scalar; rank 1 or more is required")
        }
        let stride = x.shape.count == 1 ? x.shape[0] : x.shape[1]
        guard scale.count == 1 || scale.count == stride else {
            throw RuntimeError.invalidInput("\(node): expected \(scale.count) features per row, got \(stride)")
        }
        let values: [Float]
        switch x.storage {
        case .float32(let v): values = transform(v) { x, o, s in (x - o) * s }
        case .float64(let v): values = transform(v) { x, o, s in Float((x - Double(o)) * Double(s)) }
        case .int64(let v): values = transform(v) { x, o, s in (Float(x) - o) * s }
        case .int32(let v): values = transform(v) { x, o, s in (Float(x) - o) * s }
        case .string, .bool:
            throw RuntimeError.internalFailure("\(node): input of type \(x.elementType.rawValue) reached a numeric kernel")
        }
        return [Tensor(shape: x.shape, floats: values)]
    }

    @inline(__always)
    private func transform<T>(_ input: [T], _ f: (T, Float, Float) -> Float) -> [Float] {
        let width = scale.count
        var out = [Float](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { xs in
            offset.withUnsafeBufferPointer { o in
                scale.withUnsafeBufferPointer { s in
                    out.withUnsafeMutableBufferPointer { ys in
                        if width == 1 {
                            for i in xs.indices { ys[i] = f(xs[i], o[0], s[0]) }
                        } else {
                            var j = 0
                            for i in xs.indices {
                                ys[i] = f(xs[i], o[j], s[j])
                                j += 1
                                if j == width { j = 0 }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
