import PredictRuntime

/// What the answer to a ModelInferRequest must look like. The server keeps this, not the
/// request, while the inputs are being computed.
struct InferReplyForm: Sendable, Equatable {
    /// The request's id, echoed in the response.
    var id: String
    /// The outputs to return, in the order the request named them; empty means every output
    /// in the model's order.
    var requestedOutputs: [String]
    /// Whether the request carried its inputs in raw_input_contents; the response then
    /// carries its outputs in raw_output_contents (OIP: the server answers in the form it was asked in).
    var usesRawContents: Bool

    init(id: String = "", requestedOutputs: [String] = [], usesRawContents: Bool = false) {
        self.id = id
        self.requestedOutputs = requestedOutputs
        self.usesRawContents = usesRawContents
    }
}

/// A ModelInferRequest decoded into the runtime's tensors.
struct DecodedInferRequest: Sendable {
    /// The inputs by name, for `InferenceService.submit(model:version:inputs:)`.
    var inputs: [String: Tensor]
    /// How to answer.
    var reply: InferReplyForm
}
