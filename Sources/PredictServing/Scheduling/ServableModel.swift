import PredictRuntime

/// What the scheduler needs of a model: its signature, a check of a request's inputs, and a
/// batch run. `InferenceModel` is the real one; tests and benchmarks supply others (a model
/// that fails, a model that does nothing).
public protocol ServableModel: Sendable {
    var inputs: [TensorInfo] { get }
    var outputs: [TensorInfo] { get }
    /// Validates inputs given by name and returns them in `inputs` order.
    func orderedInputs(_ named: [String: Tensor]) throws -> [Tensor]
    /// Runs a batch (inputs in `inputs` order) and returns outputs in `outputs` order.
    func run(_ inputs: [Tensor]) throws -> [Tensor]
}

extension InferenceModel: ServableModel {}
