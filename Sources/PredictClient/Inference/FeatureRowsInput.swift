import PredictProtocol

/// What the typed helper needs to know about a model's one input, taken from its metadata:
/// its name, and that it is FP32 of shape [N, F]. The feature count F is left for the server
/// to check: its message names the tensor and the expected shape, and a cached F could be stale.
struct FeatureRowsInput: Sendable, Hashable {
    /// The input tensor's name.
    var name: String

    /// INVALID_ARGUMENT when the model does not have exactly one FP32 input of rank 2.
    init(metadata: Inference_ModelMetadataResponse, model: String) throws(PredictClientError) {
        let need = "infer(model:rows:) needs exactly one FP32 input of shape [N, F]; use infer(_:) with a ModelInferRequest"
        guard metadata.inputs.count == 1 else {
            throw PredictClientError(.invalidArgument, "model '\(model)' has \(metadata.inputs.count) inputs; \(need)")
        }
        let input = metadata.inputs[0]
        guard input.datatype == "FP32" else {
            throw PredictClientError(.invalidArgument, "model '\(model)' input '\(input.name)' is \(input.datatype); \(need)")
        }
        guard input.shape.count == 2 else {
            throw PredictClientError(.invalidArgument, "model '\(model)' input '\(input.name)' has shape \(input.shape); \(need)")
        }
        name = input.name
    }
}
