import Foundation

/// A loaded ONNX model, ready to run batches of rows.
///
/// Loading validates the whole graph, so a model that loads never fails later for a reason
/// known in advance. Running is thread-safe: many workers may share one `InferenceModel`.
/// The first load raises glibc's mmap and trim thresholds so per-call buffers are reused
/// rather than mapped afresh (see `AllocatorTuning`).
public final class InferenceModel: Sendable {
    /// The inputs a call must provide, in the model's order.
    public let inputs: [TensorInfo]
    /// The outputs a call returns, in the model's order. A ZipMap output is served as a
    /// [N, classes] FP32 probability tensor whose `classLabels` name the columns.
    public let outputs: [TensorInfo]
    let plan: ExecutionPlan
    private let validator: InputValidator

    /// Loads a model from serialized ONNX bytes.
    public init(serialized: Data) throws {
        AllocatorTuning.applied
        plan = try ModelLoader.load(serialized)
        inputs = plan.inputs
        outputs = plan.outputs
        validator = InputValidator(plan.inputs)
    }

    /// Loads a model from an `.onnx` file.
    public convenience init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw RuntimeError.invalidModel("cannot read \(url.path): \(error.localizedDescription)")
        }
        try self.init(serialized: data)
    }

    /// Runs one batch given inputs by name; returns every output by name.
    public func run(_ named: [String: Tensor]) throws -> [String: Tensor] {
        let results = try plan.run(orderedInputs(named))  // orderedInputs has validated them
        return Dictionary(uniqueKeysWithValues: zip(outputs.map(\.name), results))
    }

    /// Checks inputs given by name against the model (names, datatypes, shapes) without
    /// running anything, and returns them in the order of `inputs`. A scheduler calls this on
    /// each request before batching so a bad request fails alone.
    public func orderedInputs(_ named: [String: Tensor]) throws -> [Tensor] {
        for name in named.keys where !inputs.contains(where: { $0.name == name }) {
            throw RuntimeError.invalidInput("unknown input '\(name)'; the model's inputs are \(Self.describe(inputs))")
        }
        let ordered = try inputs.map { info in
            guard let tensor = named[info.name] else {
                throw RuntimeError.invalidInput("missing input '\(info.name)'; the model's inputs are \(Self.describe(inputs))")
            }
            return tensor
        }
        try validator.validate(ordered)
        return ordered
    }

    /// Runs one batch given inputs in the order of `inputs`; returns outputs in the order of
    /// `outputs`. Throws `RuntimeError.Kind.invalidInput` naming what was expected and what came.
    public func run(_ values: [Tensor]) throws -> [Tensor] {
        try validator.validate(values)
        return try plan.run(values)
    }

    static func describe(_ infos: [TensorInfo]) -> String {
        infos.map { "'\($0.name)' (\($0.elementType.rawValue) \($0.shapeDescription))" }.joined(separator: ", ")
    }
}
