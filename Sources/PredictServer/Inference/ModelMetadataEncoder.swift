import PredictProtocol
import PredictRuntime
import PredictServing

/// Turns the serving core's `ModelMetadata` into an Open Inference Protocol
/// `ModelMetadataResponse`.
enum ModelMetadataEncoder {
    /// The response: every ready version as a string, ascending; tensors with their datatype
    /// and shape, where a dynamic dimension is -1 and a tensor of unknown rank has an empty shape.
    static func encode(_ metadata: ModelMetadata) -> Inference_ModelMetadataResponse {
        var message = Inference_ModelMetadataResponse()
        message.name = metadata.name
        message.versions = metadata.readyVersions.map { String($0) }
        message.platform = metadata.platform
        message.inputs = metadata.inputs.map(tensorMetadata)
        message.outputs = metadata.outputs.map(tensorMetadata)
        return message
    }

    static func tensorMetadata(_ info: TensorInfo) -> Inference_ModelMetadataResponse.TensorMetadata {
        var tensor = Inference_ModelMetadataResponse.TensorMetadata()
        tensor.name = info.name
        tensor.datatype = info.elementType.rawValue
        tensor.shape = info.shape?.map { dimension in
            switch dimension {
            case .fixed(let size): Int64(size)
            case .dynamic: -1
            }
        } ?? []
        return tensor
    }
}
