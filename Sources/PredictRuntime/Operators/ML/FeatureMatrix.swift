/// A numeric input of an ai.onnx.ml kernel read as rows of float32 features, the way
/// onnxruntime reads them: [N, F] is N rows of F features, [F] is one row. float64 and integer
/// inputs are rounded to float32 first, as onnxruntime casts them before its float GEMM.
struct FeatureMatrix {
    /// The element types these kernels accept as features.
    static let elementTypes: Set<ElementType> = [.float32, .float64, .int64, .int32]

    let rows: Int
    let features: Int
    /// Row-major, `rows * features` values; the input's own buffer when it is already float32.
    let values: [Float]

    /// Reads a rank-1 or rank-2 numeric tensor. `node` prefixes error messages.
    init(_ tensor: Tensor, node: String) throws {
        guard let layout = Self.layout(tensor.shape) else {
            throw RuntimeError.invalidInput("\(node): the input must have rank 1 or 2; got shape \(tensor.shape)")
        }
        rows = layout.rows
        features = layout.features
        switch tensor.storage {
        case .float32(let v): values = v
        case .float64(let v): values = v.map { Float($0) }
        case .int64(let v): values = v.map { Float($0) }
        case .int32(let v): values = v.map { Float($0) }
        case .string, .bool:
            throw RuntimeError.internalFailure("\(node): input of type \(tensor.elementType.rawValue) reached a numeric kernel")
        }
    }

    /// Rows and features of a rank-1 or rank-2 shape; nil for other ranks.
    static func layout(_ shape: [Int]) -> (rows: Int, features: Int)? {
        switch shape.count {
        case 1: (1, shape[0])
        case 2: (shape[0], shape[1])
        default: nil
        }
    }

    /// Throws `invalidInput` unless every row has `expected` features.
    func requireFeatures(_ expected: Int, node: String) throws {
        guard features == expected else {
            throw RuntimeError.invalidInput("\(node): expected \(expected) features per row, got \(features)")
        }
    }

    /// Checks at load time that input 0 is a numeric tensor of rank 1 or 2 whose feature
    /// dimension, when fixed, is `expectedFeatures`. Returns its info.
    @discardableResult
    static func checkInput(_ context: NodeContext, expectedFeatures: Int?) throws -> TensorInfo {
        let info = try context.input(0, of: elementTypes)
        guard let shape = info.shape else { return info }
        guard shape.count == 1 || shape.count == 2 else {
            throw context.invalid("input '\(info.name)' has shape \(info.shapeDescription); rank 1 or 2 is required")
        }
        if let expectedFeatures, let declared = shape.last?.fixedValue, declared != expectedFeatures {
            throw context.invalid("input '\(info.name)' has \(declared) features (shape \(info.shapeDescription)) but the attributes describe \(expectedFeatures)")
        }
        return info
    }

    /// The batch dimension of outputs computed from rows of `info`: its first dimension for
    /// rank 2, 1 for rank 1, unknown otherwise.
    static func rowDimension(_ info: TensorInfo) -> Dimension {
        switch info.shape?.count {
        case 2?: info.shape![0]
        case 1?: .fixed(1)
        default: .dynamic(name: nil)
        }
    }
}
