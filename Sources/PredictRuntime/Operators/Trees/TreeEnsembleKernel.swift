/// The kernel of TreeEnsembleClassifier, TreeEnsembleRegressor and TreeEnsemble: checks the
/// input's shape, evaluates the trees in the input's precision and writes the outputs.
struct TreeEnsembleKernel: Kernel {
    /// What the node outputs.
    enum Role: Sendable {
        /// Label [N] and probabilities [N, classes] (float32).
        case classifier(TreeEnsembleDefinition.ClassifierFacts)
        /// Scores [N, targets] in float32 (opsets 1 and 3).
        case regressor
        /// Scores [N, targets] in the input's type (opset 5).
        case ensemble
    }

    private enum Pipeline: Sendable {
        case float(TreeEnsemblePipeline<Float>)
        case double(TreeEnsemblePipeline<Double>)
    }

    private let node: String
    private let pipeline: Pipeline
    private let requiredFeatures: Int

    init(_ context: NodeContext, definition: TreeEnsembleDefinition, role: Role) throws {
        node = context.description
        requiredFeatures = definition.maxFeature + 1
        switch definition.precision {
        case .float: pipeline = .float(try TreeEnsemblePipeline(context, definition, role))
        case .double: pipeline = .double(try TreeEnsemblePipeline(context, definition, role))
        }
    }

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0)
        // onnxruntime reads a 1-D input as one row but counts it as having one feature.
        let rows: Int, stride: Int, features: Int
        switch x.rank {
        case 2: (rows, stride, features) = (x.shape[0], x.shape[1], x.shape[1])
        case 1 where x.shape[0] > 0: (rows, stride, features) = (1, x.shape[0], 1)
        default:
            throw RuntimeError.invalidInput("\(node): the input has shape \(x.shape); expected [N, F] with F features per row")
        }
        guard features >= requiredFeatures else {
            throw RuntimeError.invalidInput("\(node): expected \(requiredFeatures) features, got \(features)")
        }
        switch pipeline {
        case .float(let p):
            switch x.storage {
            case .float32(let v): return try p.run(v, rows: rows, stride: stride)
            case .int64(let v): return try p.run(converting: v, rows: rows, stride: stride)
            case .int32(let v): return try p.run(converting: v, rows: rows, stride: stride)
            default: break
            }
        case .double(let p):
            if case .float64(let v) = x.storage { return try p.run(v, rows: rows, stride: stride) }
        }
        throw RuntimeError.internalFailure("\(node): unexpected input type \(x.elementType.rawValue)")
    }
}
