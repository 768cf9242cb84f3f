/// One dimension of a declared shape: a fixed size, or a dynamic one (named or not).
public enum Dimension: Sendable, Hashable, CustomStringConvertible {
    case fixed(Int)
    /// A dimension known only at run time; `name` is the model's symbol (e.g. "N"), if any.
    case dynamic(name: String?)

    public var description: String {
        switch self {
        case .fixed(let n): String(n)
        case .dynamic(let name): name ?? "?"
        }
    }

    var fixedValue: Int? { if case .fixed(let n) = self { n } else { nil } }
}

/// What the runtime knows about a value before running: its element type, its shape when
/// known (nil when even the rank is unknown), and class labels when it is a classifier's
/// probability output or label output.
public struct TensorInfo: Sendable, Equatable {
    public var name: String
    public var elementType: ElementType
    public var shape: [Dimension]?
    /// For a probability output: the class of each column. For a label output: the set of labels.
    public var classLabels: ClassLabels?

    public init(name: String, elementType: ElementType, shape: [Dimension]?, classLabels: ClassLabels? = nil) {
        self.name = name
        self.elementType = elementType
        self.shape = shape
        self.classLabels = classLabels
    }

    var shapeDescription: String {
        shape.map { "[" + $0.map(\.description).joined(separator: ", ") + "]" } ?? "[unknown rank]"
    }
}
