/// The class labels of a classifier output, in column order of its probability tensor.
/// ONNX classifiers carry either integer or string labels, never both.
public enum ClassLabels: Sendable, Equatable {
    case int64([Int64])
    case string([String])

    public var count: Int {
        switch self {
        case .int64(let v): v.count
        case .string(let v): v.count
        }
    }

    /// The labels as a 1-D tensor, for kernels that gather labels by class index.
    var tensor: Tensor {
        switch self {
        case .int64(let v): Tensor(shape: [v.count], int64s: v)
        case .string(let v): Tensor(shape: [v.count], strings: v)
        }
    }

    var elementType: ElementType {
        switch self {
        case .int64: .int64
        case .string: .string
        }
    }
}
