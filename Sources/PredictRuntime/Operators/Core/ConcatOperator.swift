/// Concat along one axis; every input has the same type and rank, and equal other dimensions.
enum ConcatOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        guard !context.inputs.isEmpty else { throw context.invalid("needs at least one input") }
        try context.expectOutputs(1...1)
        let infos = try context.inputs.indices.map { try context.input($0) }
        guard let axis = try context.attributes.int("axis") else { throw context.invalid("attribute 'axis' is required") }
        let type = infos[0].elementType
        guard infos.allSatisfy({ $0.elementType == type }) else {
            throw context.invalid("inputs mix element types \(Set(infos.map(\.elementType.rawValue)).sorted())")
        }
        var shape: [Dimension]? = nil
        if let rank = infos[0].shape?.count, infos.allSatisfy({ $0.shape?.count == rank }) {
            guard let a = normalizedAxis(axis, rank: rank) else { throw context.invalid("axis \(axis) is out of range for rank \(rank)") }
            var s = infos[0].shape!
            let sizes = infos.compactMap { $0.shape![a].fixedValue }
            s[a] = sizes.count == infos.count ? .fixed(sizes.reduce(0, +)) : .dynamic(name: nil)
            shape = s
        }
        return CompiledNode(kernel: ConcatKernel(axis: axis), outputs: [OutputType(elementType: type, shape: shape)])
    }
}

struct ConcatKernel: Kernel {
    let axis: Int

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let tensors = try inputs.indices.map { try inputs.required($0) }
        let first = tensors[0]
        guard let axis = normalizedAxis(axis, rank: first.rank) else {
            throw RuntimeError.invalidInput("Concat axis \(self.axis) is out of range for shape \(first.shape)")
        }
        for t in tensors {
            guard t.rank == first.rank, t.elementType == first.elementType,
                  zip(t.shape, first.shape).enumerated().allSatisfy({ $0.offset == axis || $0.element.0 == $0.element.1 })
            else { throw RuntimeError.invalidInput("Concat inputs have incompatible shapes \(tensors.map(\.shape))") }
        }
        if tensors.count == 1 { return [first] }
        var shape = first.shape
        shape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        let outer = first.shape[..<axis].reduce(1, *)
        let blocks = tensors.map { $0.shape[axis...].reduce(1, *) }
        return [try Self.concatenate(tensors, outer: outer, blocks: blocks, shape: shape)]
    }

    private static func concatenate(_ tensors: [Tensor], outer: Int, blocks: [Int], shape: [Int]) throws -> Tensor {
        func join<T>(_ arrays: [[T]]) -> [T] {
            let total = arrays.reduce(0) { $0 + $1.count }
            return [T](unsafeUninitializedCapacity: total) { out, initialized in
                var o = out.baseAddress!
                for i in 0..<outer {
                    for (array, block) in zip(arrays, blocks) {
                        array.withUnsafeBufferPointer { o.initialize(from: $0.baseAddress! + i * block, count: block) }
                        o += block
                    }
                }
                initialized = total
            }
        }
        switch tensors[0].storage {
        case .float32: return Tensor(shape: shape, storage: .float32(join(tensors.map { $0.floats! })))
        case .float64: return Tensor(shape: shape, storage: .float64(join(tensors.map { $0.doubles! })))
        case .int64: return Tensor(shape: shape, storage: .int64(join(tensors.map { $0.int64s! })))
        case .int32: return Tensor(shape: shape, storage: .int32(join(tensors.map { $0.int32s! })))
        case .string: return Tensor(shape: shape, storage: .string(join(tensors.map { $0.strings! })))
        case .bool: return Tensor(shape: shape, storage: .bool(join(tensors.map { $0.bools! })))
        }
    }
}
