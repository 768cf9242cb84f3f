/// Gather: picks slices of `data` along `axis` by integer indices (negative count from the end).
enum GatherOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(2...2)
        try context.expectOutputs(1...1)
        let data = try context.input(0)
        let indices = try context.input(1, of: [.int64, .int32])
        let axis = try context.attributes.int("axis", default: 0)
        var shape: [Dimension]? = nil
        if let d = data.shape, let i = indices.shape {
            guard let a = normalizedAxis(axis, rank: d.count) else { throw context.invalid("axis \(axis) is out of range for rank \(d.count)") }
            shape = Array(d[..<a]) + i + Array(d[(a + 1)...])
        }
        return CompiledNode(kernel: GatherKernel(axis: axis), outputs: [OutputType(elementType: data.elementType, shape: shape)])
    }
}

struct GatherKernel: Kernel {
    let axis: Int

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let data = try inputs.required(0)
        let indices = try inputs.required(1)
        guard let axis = normalizedAxis(axis, rank: data.rank) else {
            throw RuntimeError.invalidInput("Gather axis \(self.axis) is out of range for shape \(data.shape)")
        }
        let size = data.shape[axis]
        let picks = try indices.integerValues("Gather indices").map { i in
            guard (-size..<size).contains(i) else {
                throw RuntimeError.invalidInput("Gather index \(i) is out of range for dimension of size \(size)")
            }
            return i < 0 ? i + size : i
        }
        let outer = data.shape[..<axis].reduce(1, *)
        let inner = data.shape[(axis + 1)...].reduce(1, *)
        let shape = Array(data.shape[..<axis]) + indices.shape + Array(data.shape[(axis + 1)...])
        return [try data.transformAny(Gather(picks: picks, outer: outer, size: size, inner: inner, outputShape: shape))]
    }

    private struct Gather: AnyElementTransform {
        let picks: [Int], outer: Int, size: Int, inner: Int, outputShape: [Int]

        func apply<T: Sendable>(_ values: [T], shape: [Int], wrap: ([T]) -> Tensor.Storage) throws -> Tensor {
            var out: [T] = []
            out.reserveCapacity(outer * picks.count * inner)
            for o in 0..<outer {
                for p in picks {
                    let start = (o * size + p) * inner
                    out.append(contentsOf: values[start..<(start + inner)])
                }
            }
            return Tensor(shape: outputShape, storage: wrap(out))
        }
    }
}
