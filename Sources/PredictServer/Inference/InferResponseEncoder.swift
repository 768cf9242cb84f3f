import Foundation
import PredictProtocol
import PredictRuntime
import PredictServing

/// Turns the serving core's `InferenceResponse` into an Open Inference Protocol
/// `ModelInferResponse`, in the form the request asked for (`InferReplyForm`): typed
/// `contents`, or `raw_output_contents` in output order when the request was raw.
///
/// Built once per model version from its outputs, so each output's class labels parameter
/// (`ClassLabelsParameter`) is rendered once, not per response.
struct InferResponseEncoder: Sendable {
    /// The `class_labels` parameter of each output that has class labels, by output name.
    private let labelParameters: [String: Inference_InferParameter]

    init(modelOutputs: [TensorInfo]) {
        var parameters: [String: Inference_InferParameter] = [:]
        for output in modelOutputs {
            if let labels = output.classLabels { parameters[output.name] = ClassLabelsParameter.parameter(labels) }
        }
        labelParameters = parameters
    }

    /// The response message. INTERNAL if the serving core did not compute an output the
    /// request asked for (the decoder has already checked the names against the model).
    func encode(_ response: InferenceResponse, reply: InferReplyForm) throws(ServingError) -> Inference_ModelInferResponse {
        var message = Inference_ModelInferResponse()
        message.modelName = response.model
        message.modelVersion = String(response.version)
        message.id = reply.id
        let names = reply.requestedOutputs.isEmpty ? response.outputs.map(\.name) : reply.requestedOutputs
        message.outputs.reserveCapacity(names.count)
        if reply.usesRawContents { message.rawOutputContents.reserveCapacity(names.count) }
        for name in names {
            guard let tensor = response[name] else {
                throw ServingError(.internalError, "model '\(response.model)' version \(response.version) did not produce output '\(name)'")
            }
            var output = Inference_ModelInferResponse.InferOutputTensor()
            output.name = name
            output.datatype = tensor.elementType.rawValue
            output.shape = tensor.shape.map { Int64($0) }
            if let labels = labelParameters[name] { output.parameters[ClassLabelsParameter.key] = labels }
            if reply.usesRawContents {
                message.rawOutputContents.append(RawTensorBytes.encode(tensor.storage))
            } else {
                output.contents = Self.typedContents(tensor.storage)
            }
            message.outputs.append(output)
        }
        return message
    }

    /// The elements in the `contents` field of their datatype; numeric arrays are shared, not copied.
    static func typedContents(_ storage: Tensor.Storage) -> Inference_InferTensorContents {
        var contents = Inference_InferTensorContents()
        switch storage {
        case .float32(let v): contents.fp32Contents = v
        case .float64(let v): contents.fp64Contents = v
        case .int64(let v): contents.int64Contents = v
        case .int32(let v): contents.intContents = v
        case .bool(let v): contents.boolContents = v
        case .string(let v): contents.bytesContents = v.map { Data($0.utf8) }
        }
        return contents
    }
}
