/// A dense tensor: a shape and one contiguous row-major buffer of elements.
///
/// Buffers are Swift arrays, so passing a tensor along the graph copies nothing; kernels read
/// them through unsafe buffer pointers in their inner loops.
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var storage: Storage

    /// The element buffer, one case per supported element type.
    public enum Storage: Sendable, Equatable {
        case float32([Float])
        case float64([Double])
        case int64([Int64])
        case int32([Int32])
        case string([String])
        case bool([Bool])
    }

    /// Creates a tensor; the element count must equal the product of the shape.
    public init(shape: [Int], storage: Storage) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        precondition(shape.reduce(1, *) == storage.count, "shape \(shape) does not hold \(storage.count) elements")
        self.shape = shape
        self.storage = storage
    }

    public init(shape: [Int], floats: [Float]) { self.init(shape: shape, storage: .float32(floats)) }
    public init(shape: [Int], doubles: [Double]) { self.init(shape: shape, storage: .float64(doubles)) }
    public init(shape: [Int], int64s: [Int64]) { self.init(shape: shape, storage: .int64(int64s)) }
    public init(shape: [Int], int32s: [Int32]) { self.init(shape: shape, storage: .int32(int32s)) }
    public init(shape: [Int], strings: [String]) { self.init(shape: shape, storage: .string(strings)) }
    public init(shape: [Int], bools: [Bool]) { self.init(shape: shape, storage: .bool(bools)) }

    public var elementType: ElementType { storage.elementType }
    public var count: Int { storage.count }
    public var rank: Int { shape.count }

    public var floats: [Float]? { if case .float32(let v) = storage { v } else { nil } }
    public var doubles: [Double]? { if case .float64(let v) = storage { v } else { nil } }
    public var int64s: [Int64]? { if case .int64(let v) = storage { v } else { nil } }
    public var int32s: [Int32]? { if case .int32(let v) = storage { v } else { nil } }
    public var strings: [String]? { if case .string(let v) = storage { v } else { nil } }
    public var bools: [Bool]? { if case .bool(let v) = storage { v } else { nil } }

    /// The same elements under another shape with the same element count.
    func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }
}

extension Tensor.Storage {
    public var elementType: ElementType {
        switch self {
        case .float32: .float32
        case .float64: .float64
        case .int64: .int64
        case .int32: .int32
        case .string: .string
        case .bool: .bool
        }
    }

    public var count: Int {
        switch self {
        case .float32(let v): v.count
        case .float64(let v): v.count
        case .int64(let v): v.count
        case .int32(let v): v.count
        case .string(let v): v.count
        case .bool(let v): v.count
        }
    }
}
