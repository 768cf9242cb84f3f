import PredictRuntime

/// Joins the tensors of several requests along the first (batch) dimension, and splits a
/// batch's outputs back into each request's rows.
enum RowStacking {
    /// Concatenates tensors whose dimensions after the first are equal, in order.
    static func stack(_ tensors: [Tensor]) -> Tensor {
        guard tensors.count > 1 else { return tensors[0] }
        var shape = tensors[0].shape
        shape[0] = tensors.reduce(0) { $0 + $1.shape[0] }
        func join<T>(_ arrays: [[T]]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(arrays.reduce(0) { $0 + $1.count })
            for a in arrays { out.append(contentsOf: a) }
            return out
        }
        let storage: Tensor.Storage = switch tensors[0].storage {
        case .float32: .float32(join(tensors.map { $0.floats! }))
        case .float64: .float64(join(tensors.map { $0.doubles! }))
        case .int64: .int64(join(tensors.map { $0.int64s! }))
        case .int32: .int32(join(tensors.map { $0.int32s! }))
        case .string: .string(join(tensors.map { $0.strings! }))
        case .bool: .bool(join(tensors.map { $0.bools! }))
        }
        return Tensor(shape: shape, storage: storage)
    }

    /// Splits `tensor` into consecutive row ranges of the given sizes; nil when its first
    /// dimension is not the total (an output that is not row-major in the batch).
    static func split(_ tensor: Tensor, rows: [Int]) -> [Tensor]? {
        guard rows.count > 1 else { return [tensor] }
        guard let total = tensor.shape.first, total == rows.reduce(0, +), total > 0 else { return nil }
        let rowSize = tensor.count / total
        func cut<T>(_ values: [T], _ wrap: ([T]) -> Tensor.Storage) -> [Tensor] {
            var start = 0
            return rows.map { n in
                var shape = tensor.shape
                shape[0] = n
                defer { start += n * rowSize }
                return Tensor(shape: shape, storage: wrap(Array(values[start..<(start + n * rowSize)])))
            }
        }
        return switch tensor.storage {
        case .float32(let v): cut(v, Tensor.Storage.float32)
        case .float64(let v): cut(v, Tensor.Storage.float64)
        case .int64(let v): cut(v, Tensor.Storage.int64)
        case .int32(let v): cut(v, Tensor.Storage.int32)
        case .string(let v): cut(v, Tensor.Storage.string)
        case .bool(let v): cut(v, Tensor.Storage.bool)
        }
    }
}
