/// Dispatch of generic element functions over a tensor's storage, so kernels write their
/// arithmetic once for every numeric type.
protocol NumericElement: Numeric, Comparable, Sendable {
    static func wrap(_ values: [Self]) -> Tensor.Storage
    /// The buffer when `storage` holds this element type (no conversion, no copy).
    static func unwrap(_ storage: Tensor.Storage) -> [Self]?
}

extension Float: NumericElement {
    static func wrap(_ v: [Float]) -> Tensor.Storage { .float32(v) }
    static func unwrap(_ s: Tensor.Storage) -> [Float]? { if case .float32(let v) = s { v } else { nil } }
}

extension Double: NumericElement {
    static func wrap(_ v: [Double]) -> Tensor.Storage { .float64(v) }
    static func unwrap(_ s: Tensor.Storage) -> [Double]? { if case .float64(let v) = s { v } else { nil } }
}

extension Int64: NumericElement {
    static func wrap(_ v: [Int64]) -> Tensor.Storage { .int64(v) }
    static func unwrap(_ s: Tensor.Storage) -> [Int64]? { if case .int64(let v) = s { v } else { nil } }
}

extension Int32: NumericElement {
    static func wrap(_ v: [Int32]) -> Tensor.Storage { .int32(v) }
    static func unwrap(_ s: Tensor.Storage) -> [Int32]? { if case .int32(let v) = s { v } else { nil } }
}

/// A function generic over the numeric element types, applied to whichever one a tensor holds.
protocol NumericTransform {
    func apply<T: NumericElement>(_ values: [T], shape: [Int]) throws -> Tensor
}

/// A function generic over every element type (for data movement: gather, concat, reshape).
protocol AnyElementTransform {
    func apply<T: Sendable>(_ values: [T], shape: [Int], wrap: ([T]) -> Tensor.Storage) throws -> Tensor
}

extension Tensor {
    func transformNumeric(_ transform: some NumericTransform) throws -> Tensor? {
        switch storage {
        case .float32(let v): try transform.apply(v, shape: shape)
        case .float64(let v): try transform.apply(v, shape: shape)
        case .int64(let v): try transform.apply(v, shape: shape)
        case .int32(let v): try transform.apply(v, shape: shape)
        case .string, .bool: nil
        }
    }

    func transformAny(_ transform: some AnyElementTransform) throws -> Tensor {
        switch storage {
        case .float32(let v): try transform.apply(v, shape: shape, wrap: Tensor.Storage.float32)
        case .float64(let v): try transform.apply(v, shape: shape, wrap: Tensor.Storage.float64)
        case .int64(let v): try transform.apply(v, shape: shape, wrap: Tensor.Storage.int64)
        case .int32(let v): try transform.apply(v, shape: shape, wrap: Tensor.Storage.int32)
        case .string(let v): try transform.apply(v, shape: shape, wrap: Tensor.Storage.string)
        case .bool(let v): try transform.apply(v, shape: shape, wrap: Tensor.Storage.bool)
        }
    }

    /// The values of an integer tensor (axes, shapes, indices) as Ints.
    func integerValues(_ role: String) throws -> [Int] {
        switch storage {
        case .int64(let v): v.map { Int($0) }
        case .int32(let v): v.map { Int($0) }
        default: throw RuntimeError.invalidInput("\(role) must be INT64 or INT32, got \(elementType.rawValue)")
        }
    }
}
