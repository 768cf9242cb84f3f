import Foundation
import NIOConcurrencyHelpers
import PredictClient
import PredictProtocol
import Testing

/// `infer(model:rows:)`: one raw FP32 request for all rows, outputs decoded into Predictions.
@Suite struct FeatureRowsInferenceTests {
    static let irisOutputs: [(String, String, [Int64])] = [("label", "INT64", [-1]), ("probabilities", "FP32", [-1, 3])]
    static let rows: [[Float]] = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]
    static let probabilities: [Float] = [0.9, 0.07, 0.03, 0.01, 0.19, 0.8]

    @Test func allRowsGoAsOneRawLittleEndianFP32Request() async throws {
        let received = NIOLockedValueBox<[Inference_ModelInferRequest]>([])
        let server = try await FakeServer.start(script: ClassifierFake.script(metadata: ClassifierFake.metadata(outputs: Self.irisOutputs)) { request in
            received.withLockedValue { $0.append(request) }
            return ClassifierFake.inferResult(
                [ClassifierFake.output("label", "INT64", [2]), ClassifierFake.output("probabilities", "FP32", [2, 3])],
                raw: [ClassifierFake.raw([0, 2] as [Int64]), ClassifierFake.raw(Self.probabilities)])
        })
        let client = server.client()
        _ = try await client.infer(model: "iris", version: "1", rows: Self.rows)
        await client.close()

        let request = try #require(received.withLockedValue { $0.first })
        #expect(received.withLockedValue(\.count) == 1)
        #expect(request.modelName == "iris")
        #expect(request.modelVersion == "1")
        #expect(request.inputs.count == 1)
        #expect(request.inputs[0].name == "float_input")
        #expect(request.inputs[0].datatype == "FP32")
        #expect(request.inputs[0].shape == [2, 4])
        #expect(!request.inputs[0].hasContents)
        #expect(request.rawInputContents == [ClassifierFake.raw(Self.rows.flatMap { $0 })])
        await server.stop()
    }

    @Test func rawInt64LabelsAndProbabilitiesWithNumericClassLabels() async throws {
        let server = try await FakeServer.start(script: ClassifierFake.script(metadata: ClassifierFake.metadata(outputs: Self.irisOutputs)) { _ in
            ClassifierFake.inferResult(
                [ClassifierFake.output("label", "INT64", [2], classLabels: "[0,1,2]"),
                 ClassifierFake.output("probabilities", "FP32", [2, 3], classLabels: "[0,1,2]")],
                raw: [ClassifierFake.raw([0, 2] as [Int64]), ClassifierFake.raw(Self.probabilities)])
        })
        let client = server.client()
        let predictions = try await client.infer(model: "iris", rows: Self.rows)
        #expect(predictions == [
            Prediction(label: "0", confidence: 0.9, probabilities: [0.9, 0.07, 0.03], classLabels: ["0", "1", "2"]),
            Prediction(label: "2", confidence: 0.8, probabilities: [0.01, 0.19, 0.8], classLabels: ["0", "1", "2"]),
        ])
        await client.close()
        await server.stop()
    }

    @Test func rawBytesLabelsAndStringClassLabels() async throws {
        let classes = #"["setosa","versi,color","virginica"]"#
        let server = try await FakeServer.start(script: ClassifierFake.script(metadata: ClassifierFake.metadata(outputs: [("label", "BYTES", [-1]), ("probabilities", "FP32", [-1, 3])])) { _ in
            ClassifierFake.inferResult(
                [ClassifierFake.output("label", "BYTES", [2], classLabels: classes),
                 ClassifierFake.output("probabilities", "FP32", [2, 3], classLabels: classes)],
                raw: [ClassifierFake.raw(["setosa", "virginica"]), ClassifierFake.raw(Self.probabilities)])
        })
        let client = server.client()
        let predictions = try await client.infer(model: "iris", rows: Self.rows)
        #expect(predictions.map(\.label) == ["setosa", "virginica"])
        #expect(predictions.map(\.classLabels) == Array(repeating: ["setosa", "versi,color", "virginica"], count: 2))
        await client.close()
        await server.stop()
    }

    @Test func typedContentsAreDecodedToo() async throws {
        let server = try await FakeServer.start(script: ClassifierFake.script(metadata: ClassifierFake.metadata(outputs: Self.irisOutputs)) { _ in
            var label = ClassifierFake.output("label", "INT32", [2])
            label.contents.intContents = [1, 0]
            var probabilities = ClassifierFake.output("probabilities", "FP32", [2, 2])
            probabilities.contents.fp32Contents = [0.3, 0.7, 0.6, 0.4]
            return ClassifierFake.inferResult([label, probabilities])
        })
        let client = server.client()
        let predictions = try await client.infer(model: "iris", rows: Self.rows)
        #expect(predictions.map(\.label) == ["1", "0"])
        #expect(predictions.map(\.confidence) == [0.7, 0.6])
        #expect(predictions[0].classLabels == ["0", "1"], "no class_labels: column numbers")
        await client.close()
        await server.stop()
    }

    @Test func withoutALabelOutputTheMostProbableClassIsTheLabel() async throws {
        let server = try await FakeServer.start(script: ClassifierFake.script(metadata: ClassifierFake.metadata(outputs: [("probabilities", "FP32", [-1, 3])])) { _ in
            ClassifierFake.inferResult(
                [ClassifierFake.output("probabilities", "FP32", [2, 3], classLabels: #"["a","b","c"]"#)],
                raw: [ClassifierFake.raw(Self.probabilities)])
        })
        let client = server.client()
        let predictions = try await client.infer(model: "iris", rows: Self.rows)
        #expect(predictions.map(\.label) == ["a", "c"])
        await client.close()
        await server.stop()
    }

    @Test func withoutProbabilitiesConfidenceIsOneAndProbabilitiesEmpty() async throws {
        let server = try await FakeServer.start(script: ClassifierFake.script(metadata: ClassifierFake.metadata(outputs: [("label", "INT64", [-1])])) { _ in
            ClassifierFake.inferResult([ClassifierFake.output("label", "INT64", [2])], raw: [ClassifierFake.raw([7, 8] as [Int64])])
        })
        let client = server.client()
        let predictions = try await client.infer(model: "iris", rows: Self.rows)
        #expect(predictions == [
            Prediction(label: "7", confidence: 1, probabilities: [], classLabels: []),
            Prediction(label: "8", confidence: 1, probabilities: [], classLabels: []),
        ])
        await client.close()
        await server.stop()
    }

    @Test func raggedRowsAreInvalidArgumentWithoutARoundTrip() async throws {
        let server = try await FakeServer.start()
        let client = server.client()
        let error = await caught { try await client.infer(model: "iris", rows: [[1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3]]) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "row 2 has 3 features but row 0 has 4; all rows of one call must have the same length")
        #expect(server.acceptedConnections.isEmpty, "nothing was sent")
        await client.close()
        await server.stop()
    }

    @Test func modelWithTwoInputsIsRefusedByTheHelper() async throws {
        let metadata = ClassifierFake.metadata(inputs: [("a", "FP32", [-1, 2]), ("b", "FP32", [-1, 2])], outputs: Self.irisOutputs)
        let server = try await FakeServer.start(script: ClassifierFake.script(metadata: metadata) { _ in .failure(.internalError, "not reached") })
        let client = server.client()
        let error = await caught { try await client.infer(model: "iris", rows: Self.rows) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.hasPrefix("model 'iris' has 2 inputs") == true)
        #expect(try await server.connection(0).calls.count == 1, "only the metadata call")
        await client.close()
        await server.stop()
    }

    @Test func metadataIsFetchedOncePerModelAndVersion() async throws {
        let server = try await FakeServer.start(script: ClassifierFake.script(metadata: ClassifierFake.metadata(outputs: Self.irisOutputs)) { request in
            let rows = request.inputs[0].shape[0]
            return ClassifierFake.inferResult(
                [ClassifierFake.output("label", "INT64", [rows]), ClassifierFake.output("probabilities", "FP32", [rows, 1])],
                raw: [ClassifierFake.raw(Array(repeating: 0, count: Int(rows)) as [Int64]), ClassifierFake.raw(Array(repeating: 1, count: Int(rows)) as [Float])])
        })
        let client = server.client()
        _ = try await client.infer(model: "iris", rows: Self.rows)
        _ = try await client.infer(model: "iris", rows: [[1, 2, 3, 4]])
        _ = try await client.infer(model: "iris", version: "1", rows: [[1, 2, 3, 4]])
        let kinds = try await server.connection(0).calls.map { frame -> String in
            switch frame.callMessage.request {
            case .modelMetadata: "metadata"
            case .modelInfer: "infer"
            default: "other"
            }
        }
        #expect(kinds == ["metadata", "infer", "infer", "metadata", "infer"])
        await client.close()
        await server.stop()
    }
}
