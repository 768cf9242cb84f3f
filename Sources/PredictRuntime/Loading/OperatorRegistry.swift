/// The operators this runtime runs, by domain and name, with the opset versions of their
/// domain for which the kernel's semantics have been checked. Anything not listed is a load
/// error naming the node, operator and opset.
enum OperatorRegistry {
    struct Definition: Sendable {
        /// Domain opset versions this kernel implements (it branches on `NodeContext.opset`
        /// where an operator's semantics changed between versions).
        let opsets: ClosedRange<Int>
        let compile: @Sendable (NodeContext) throws -> CompiledNode
    }

    struct Key: Hashable {
        let domain: String
        let opType: String
    }

    static let defaultDomain = "ai.onnx"
    static let mlDomain = "ai.onnx.ml"

    /// The newest opset of each domain whose operator set this runtime knows. A model importing
    /// a newer one may use semantics we have never seen, so it is refused.
    static let newestKnownOpset = [defaultDomain: 28, mlDomain: 5]

    static func definition(domain: String, opType: String) -> Definition? {
        definitions[Key(domain: domain, opType: opType)]
    }

    /// The operator names of a domain, for error messages.
    static func operators(in domain: String) -> [String] {
        definitions.keys.filter { $0.domain == domain }.map(\.opType).sorted()
    }

    private static let definitions: [Key: Definition] = {
        var table: [Key: Definition] = [:]
        func add(_ domain: String, _ opType: String, _ opsets: ClosedRange<Int>, _ compile: @escaping @Sendable (NodeContext) throws -> CompiledNode) {
            table[Key(domain: domain, opType: opType)] = Definition(opsets: opsets, compile: compile)
        }
        let core = defaultDomain, ml = mlDomain
        add(core, "Identity", 1...28, IdentityOperator.compile)
        add(core, "Cast", 6...28, CastOperator.compile)
        add(core, "Concat", 4...28, ConcatOperator.compile)
        add(core, "Reshape", 5...28, ShapeOperators.compileReshape)
        add(core, "Flatten", 1...28, ShapeOperators.compileFlatten)
        add(core, "Unsqueeze", 1...28, ShapeOperators.compileUnsqueeze)
        add(core, "Squeeze", 1...28, ShapeOperators.compileSqueeze)
        add(core, "Shape", 1...28, ShapeOperators.compileShape)
        add(core, "Gather", 1...28, GatherOperator.compile)
        add(core, "MatMul", 1...28, MatrixOperators.compileMatMul)
        add(core, "Gemm", 1...28, MatrixOperators.compileGemm)
        for op in BinaryOperator.Function.allCases {
            add(core, op.rawValue, 1...28, { try BinaryOperator.compile($0, op) })
        }
        for op in UnaryOperator.Function.allCases {
            add(core, op.rawValue, 1...28, { try UnaryOperator.compile($0, op) })
        }
        for op in ComparisonOperator.Function.allCases {
            add(core, op.rawValue, 7...28, { try ComparisonOperator.compile($0, op) })
        }
        add(core, "Sum", 6...28, SumOperator.compile)
        add(core, "Clip", 6...28, ClipOperator.compile)
        add(core, "Softmax", 1...28, SoftmaxOperator.compile)
        add(core, "ArgMax", 1...28, ArgMaxOperator.compile)
        add(core, "ReduceSum", 1...28, ReduceSumOperator.compile)

        add(ml, "LinearClassifier", 1...5, LinearClassifierOperator.compile)
        add(ml, "LinearRegressor", 1...5, LinearRegressorOperator.compile)
        add(ml, "Normalizer", 1...5, NormalizerOperator.compile)
        add(ml, "Scaler", 1...5, ScalerOperator.compile)
        add(ml, "ZipMap", 1...5, ZipMapOperator.compile)
        add(ml, "ArrayFeatureExtractor", 1...5, ArrayFeatureExtractorOperator.compile)
        add(ml, "OneHotEncoder", 1...5, OneHotEncoderOperator.compile)
        add(ml, "SVMClassifier", 1...5, SVMClassifierOperator.compile)
        add(ml, "SVMRegressor", 1...5, SVMRegressorOperator.compile)
        // Deprecated in ai.onnx.ml opset 5 in favour of TreeEnsemble.
        add(ml, "TreeEnsembleClassifier", 1...4, TreeEnsembleClassifierOperator.compile)
        add(ml, "TreeEnsembleRegressor", 1...4, TreeEnsembleRegressorOperator.compile)
        add(ml, "TreeEnsemble", 5...5, TreeEnsembleOperator.compile)
        return table
    }()
}
