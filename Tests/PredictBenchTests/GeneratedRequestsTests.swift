import PredictClient
import PredictProtocol
import Testing
@testable import PredictBench

@Suite struct GeneratedRequestsTests {
    static func metadata(_ inputs: [(String, String, [Int64])]) -> Inference_ModelMetadataResponse {
        var metadata = Inference_ModelMetadataResponse()
        metadata.inputs = inputs.map { name, datatype, shape in
            var tensor = Inference_ModelMetadataResponse.TensorMetadata()
            tensor.name = name
            tensor.datatype = datatype
            tensor.shape = shape
            return tensor
        }
        return metadata
    }

    @Test func requestsFollowTheMetadataWithTheBatchDimensionSetToTheRows() throws {
        let metadata = Self.metadata([("X", "FP32", [-1, 30]), ("ids", "INT64", [-1]), ("mask", "BOOL", [-1, 2, -1])])
        let requests = try GeneratedRequests.make(metadata: metadata, model: "m", version: "2", rows: 5, count: 3)
        #expect(requests.count == 3)
        let first = requests[0]
        #expect(first.modelName == "m" && first.modelVersion == "2")
        #expect(first.inputs.map(\.shape) == [[5, 30], [5], [5, 2, 1]])
        #expect(first.inputs.map(\.datatype) == ["FP32", "INT64", "BOOL"])
        #expect(first.rawInputContents.map(\.count) == [5 * 30 * 4, 5 * 8, 10])
        // Distinct rows from request to request, and the same ones for the same seed.
        #expect(requests[0].rawInputContents[0] != requests[1].rawInputContents[0])
        let again = try GeneratedRequests.make(metadata: metadata, model: "m", version: "2", rows: 5, count: 3)
        #expect(again == requests)
        let floats = first.rawInputContents[0].withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(floats.allSatisfy { $0.isFinite && abs($0) < 10 })
    }

    @Test func aTensorOfStringsCannotBeGenerated() {
        let metadata = Self.metadata([("text", "BYTES", [-1, 1])])
        #expect(throws: PredictClientError.self) {
            try GeneratedRequests.make(metadata: metadata, model: "m", version: "", rows: 1, count: 1)
        }
        #expect(throws: PredictClientError.self) {
            try GeneratedRequests.make(metadata: Self.metadata([]), model: "m", version: "", rows: 1, count: 1)
        }
    }
}
