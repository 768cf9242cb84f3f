import Foundation
import PredictProtocol
import Testing

/// Each call kind against the example models, and bad inference input, over TLS.
@Suite("Inference calls over TLS")
struct InferenceCallTests {
    /// One call on a fresh connection to a fresh example server; its Result.
    static func answer(_ request: Predict_V1_Call.OneOf_Request) async throws -> Predict_V1_Result {
        try await withTestServer { server in
            let connection = try await RawConnection.open(port: server.port)
            try await connection.send(.call(1, request))
            let frame = try #require(try await connection.nextFrame())
            #expect(frame.callID == 1)
            return frame.result
        }
    }

    static func floats(_ data: Data) -> [Float] {
        data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    @Test func typedIrisInferenceMatchesOnnxRuntime() async throws {
        let result = try await Self.answer(.modelInfer(.rows(model: "iris", input: "X", [Iris.setosa], raw: false)))
        #expect(result.status.statusCode == .ok)
        let response = result.modelInfer
        #expect(response.modelName == "iris")
        #expect(response.modelVersion == "1")
        #expect(response.outputs.map(\.name) == ["label", "probabilities"])
        #expect(response.outputs[0].datatype == "INT64")
        #expect(response.outputs[0].contents.int64Contents == [0])
        #expect(response.outputs[1].shape == [1, 3])
        for (got, want) in zip(response.outputs[1].contents.fp32Contents, Iris.setosaProbabilities) {
            #expect(abs(got - want) < 1e-5)
        }
    }

    @Test func rawIrisInferenceAnswersInRawForm() async throws {
        var request = Inference_ModelInferRequest.rows(model: "iris", input: "X", [Iris.setosa, [6.7, 3.0, 5.2, 2.3]], raw: true)
        request.id = "req-42"
        var wanted = Inference_ModelInferRequest.InferRequestedOutputTensor()
        wanted.name = "probabilities"
        request.outputs = [wanted]
        let result = try await Self.answer(.modelInfer(request))
        #expect(result.status.statusCode == .ok, "\(result.status)")
        let response = result.modelInfer
        #expect(response.id == "req-42")
        #expect(response.outputs.map(\.name) == ["probabilities"])
        #expect(response.rawOutputContents.count == 1)
        let probabilities = Self.floats(response.rawOutputContents[0])
        #expect(probabilities.count == 6)
        #expect(abs(probabilities[0] - Iris.setosaProbabilities[0]) < 1e-5)
        #expect(probabilities[5] > 0.5, "the second row is virginica: \(probabilities)")
    }

    @Test func aWrongInputNameIsInvalidArgumentNamingTheTensors() async throws {
        let result = try await Self.answer(.modelInfer(.rows(model: "iris", input: "features", [Iris.setosa], raw: false)))
        #expect(result.status.statusCode == .invalidArgument)
        #expect(result.status.message.contains("features"))
        #expect(result.status.message.contains("X"))
        #expect(result.response == nil)
    }

    @Test func aWrongFeatureCountIsInvalidArgumentSayingWhatWasExpected() async throws {
        let result = try await Self.answer(.modelInfer(.rows(model: "iris", input: "X", [[1, 2, 3]], raw: false)))
        #expect(result.status.statusCode == .invalidArgument)
        #expect(result.status.message.contains("'X'"), "\(result.status.message)")
        #expect(result.status.message.contains("4"), "\(result.status.message)")
    }

    @Test func contentsThatDisagreeWithTheShapeAreInvalidArgument() async throws {
        var request = Inference_ModelInferRequest.rows(model: "iris", input: "X", [Iris.setosa], raw: false)
        request.inputs[0].shape = [2, 4]
        let result = try await Self.answer(.modelInfer(request))
        #expect(result.status.statusCode == .invalidArgument)
        #expect(result.status.message.contains("fp32_contents holds 4"), "\(result.status.message)")
    }

    @Test func aWrongDatatypeIsInvalidArgument() async throws {
        var request = Inference_ModelInferRequest.rows(model: "iris", input: "X", [Iris.setosa], raw: false)
        request.inputs[0].datatype = "FP64"
        request.inputs[0].contents = Inference_InferTensorContents()
        request.inputs[0].contents.fp64Contents = Iris.setosa.map(Double.init)
        let result = try await Self.answer(.modelInfer(request))
        #expect(result.status.statusCode == .invalidArgument)
        #expect(result.status.message.contains("FP32") || result.status.message.contains("float"), "\(result.status.message)")
    }

    @Test func anUnknownModelIsNotFound() async throws {
        let result = try await Self.answer(.modelInfer(.rows(model: "nosuch", input: "X", [Iris.setosa], raw: false)))
        #expect(result.status.statusCode == .notFound)
        #expect(result.status.message.contains("nosuch"))
    }

    @Test func anUnknownVersionIsNotFound() async throws {
        var request = Inference_ModelInferRequest.rows(model: "iris", input: "X", [Iris.setosa], raw: false)
        request.modelVersion = "7"
        let result = try await Self.answer(.modelInfer(request))
        #expect(result.status.statusCode == .notFound)
        #expect(result.status.message.contains("7"))
    }

    @Test func liveAndReadyAnswerTrue() async throws {
        #expect(try await Self.answer(.serverLive(.init())).serverLive.live)
        #expect(try await Self.answer(.serverReady(.init())).serverReady.ready)
    }

    @Test func modelReadyIsTrueForAServingModelAndFalseForAnUnknownOne() async throws {
        var iris = Inference_ModelReadyRequest()
        iris.name = "iris"
        #expect(try await Self.answer(.modelReady(iris)).modelReady.ready)
        var unknown = Inference_ModelReadyRequest()
        unknown.name = "nosuch"
        let result = try await Self.answer(.modelReady(unknown))
        #expect(result.status.statusCode == .ok)
        #expect(!result.modelReady.ready)
    }

    @Test func serverMetadataNamesTheServer() async throws {
        let metadata = try await Self.answer(.serverMetadata(.init())).serverMetadata
        #expect(metadata.name == "predict")
        #expect(metadata.version == ProductVersion.version)
    }

    @Test func modelMetadataDescribesTheSignature() async throws {
        var request = Inference_ModelMetadataRequest()
        request.name = "forest"
        let metadata = try await Self.answer(.modelMetadata(request)).modelMetadata
        #expect(metadata.name == "forest")
        #expect(metadata.versions == ["1"])
        #expect(metadata.platform == "onnx_onnxv1")
        #expect(metadata.inputs.map(\.name) == ["X"])
        #expect(metadata.inputs[0].datatype == "FP32")
        #expect(metadata.inputs[0].shape == [-1, 30])
        #expect(metadata.outputs.map(\.name) == ["label", "probabilities"])
    }

    @Test func theRepositoryIndexListsTheExampleModels() async throws {
        let index = try await Self.answer(.repositoryIndex(.init())).repositoryIndex
        #expect(index.models.map(\.name) == ["forest", "identity", "iris", "mlp"])
        #expect(index.models.allSatisfy { $0.state == "READY" && $0.version == "1" })
    }
}
