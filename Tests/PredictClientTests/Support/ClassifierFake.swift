import Foundation
import PredictProtocol

/// A fake classifier's metadata and answers, for the typed helper's tests.
enum ClassifierFake {
    /// Metadata of a model with one FP32 [-1, 4] input and the given outputs.
    static func metadata(inputs: [(String, String, [Int64])] = [("float_input", "FP32", [-1, 4])], outputs: [(String, String, [Int64])]) -> Predict_V1_Result {
        var metadata = Inference_ModelMetadataResponse()
        metadata.name = "iris"
        metadata.versions = ["1"]
        metadata.inputs = inputs.map(tensor)
        metadata.outputs = outputs.map(tensor)
        var result = Predict_V1_Result()
        result.status = .ok
        result.modelMetadata = metadata
        return result
    }

    /// A successful inference Result with these outputs.
    static func inferResult(_ outputs: [Inference_ModelInferResponse.InferOutputTensor], raw: [Data] = []) -> Predict_V1_Result {
        var response = Inference_ModelInferResponse()
        response.modelName = "iris"
        response.modelVersion = "1"
        response.outputs = outputs
        response.rawOutputContents = raw
        var result = Predict_V1_Result()
        result.status = .ok
        result.modelInfer = response
        return result
    }

    static func output(_ name: String, _ datatype: String, _ shape: [Int64], classLabels: String? = nil) -> Inference_ModelInferResponse.InferOutputTensor {
        var output = Inference_ModelInferResponse.InferOutputTensor()
        output.name = name
        output.datatype = datatype
        output.shape = shape
        if let classLabels {
            var parameter = Inference_InferParameter()
            parameter.stringParam = classLabels
            output.parameters["class_labels"] = parameter
        }
        return output
    }

    /// A script: Welcome, `metadata` for model_metadata, `infer` for model_infer.
    static func script(metadata: Predict_V1_Result, infer: @escaping @Sendable (Inference_ModelInferRequest) -> Predict_V1_Result) -> FakeServer.Script {
        FakeServer.standard { call in
            switch call.request {
            case .modelMetadata: metadata
            case .modelInfer(let request): infer(request)
            default: FakeServer.echo(call)
            }
        }
    }

    // MARK: - Raw little-endian encodings

    static func raw(_ values: [Int64]) -> Data {
        var data = Data()
        for value in values { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func raw(_ values: [Float]) -> Data {
        var data = Data()
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func raw(_ strings: [String]) -> Data {
        var data = Data()
        for string in strings {
            withUnsafeBytes(of: UInt32(string.utf8.count).littleEndian) { data.append(contentsOf: $0) }
            data.append(contentsOf: string.utf8)
        }
        return data
    }

    private static func tensor(_ spec: (String, String, [Int64])) -> Inference_ModelMetadataResponse.TensorMetadata {
        var tensor = Inference_ModelMetadataResponse.TensorMetadata()
        tensor.name = spec.0
        tensor.datatype = spec.1
        tensor.shape = spec.2
        return tensor
    }
}
