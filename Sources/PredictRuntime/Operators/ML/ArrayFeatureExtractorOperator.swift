/// ai.onnx.ml ArrayFeatureExtractor: gathers elements of X along its last axis at the int64
/// indices Y (any shape, read flat). The output is X's shape with the last dimension replaced
/// by the number of indices, except that a 1-D X gives [1, K], as in onnxruntime; so an MLP's
/// class list [C] indexed by ArgMax's [N, 1] gives [1, N].
enum ArrayFeatureExtractorOperator {
    static let elementTypes: Set<ElementType> = [.float32, .float64, .int64, .int32, .string]

    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(2...2)
        try context.expectOutputs(1...1)
        let x = try context.input(0, of: elementTypes)
        _ = try context.input(1, of: [.int64])
        let constantIndices = context.constants.count > 1 ? context.constants[1]?.int64s : nil
        let width = x.shape?.last?.fixedValue
        if let shape = x.shape, shape.isEmpty {
            throw context.invalid("input 0 ('\(x.name)') is a scalar; rank 1 or more is required")
        }
        if let indices = constantIndices {
            guard !indices.isEmpty else { throw context.invalid("the indices (input 1) are empty") }
            if let width, let bad = indices.first(where: { $0 < 0 || $0 >= width }) {
                throw context.invalid("index \(bad) (input 1) is out of range for the last dimension of '\(x.name)' (\(width))")
            }
        }
        let count: Dimension = constantIndices.map { .fixed($0.count) } ?? .dynamic(name: nil)
        let shape: [Dimension]? = x.shape.map { dims in
            dims.count == 1 ? [.fixed(1), count] : dims.dropLast() + [count]
        }
        return CompiledNode(
            kernel: ArrayFeatureExtractorKernel(node: context.description),
            outputs: [OutputType(elementType: x.elementType, shape: shape)])
    }
}

struct ArrayFeatureExtractorKernel: Kernel {
    let node: String

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0)
        guard let indices = try inputs.required(1).int64s else {
            throw RuntimeError.internalFailure("\(node): the indices are not INT64")
        }
        guard let width = x.shape.last else {
            throw RuntimeError.invalidInput("\(node): input 0 is a scalar; rank 1 or more is required")
        }
        guard !indices.isEmpty else { throw RuntimeError.invalidInput("\(node): the indices are empty") }
        var positions = [Int](repeating: 0, count: indices.count)
        for (i, index) in indices.enumerated() {
            guard index >= 0, index < width else {
                throw RuntimeError.invalidInput("\(node): index \(i) is out of range: indices must be in [0, \(width))")
            }
            positions[i] = Int(index)
        }
        let shape = x.rank == 1 ? [1, indices.count] : x.shape.dropLast() + [indices.count]
        let outer = width == 0 ? 0 : x.count / width
        func gather<T>(_ values: [T]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(outer * positions.count)
            for row in 0..<outer {
                let base = row * width
                for p in positions { out.append(values[base + p]) }
            }
            return out
        }
        let storage: Tensor.Storage = switch x.storage {
        case .float32(let v): .float32(gather(v))
        case .float64(let v): .float64(gather(v))
        case .int64(let v): .int64(gather(v))
        case .int32(let v): .int32(gather(v))
        case .string(let v): .string(gather(v))
        case .bool(let v): .bool(gather(v))
        }
        return [Tensor(shape: shape, storage: storage)]
    }
}
