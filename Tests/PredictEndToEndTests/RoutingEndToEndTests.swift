import Foundation
import PredictClient
import PredictProtocol
import PredictRuntime
import PredictServing
import Testing

/// Issue 9's routing over the wire: weights, `routing_key`, tags, and the version that answered.
@Suite(.serialized)
struct RoutingEndToEndTests {
    static func versions() throws -> [ServedModelVersion] {
        let model = try InferenceModel(contentsOf: TestServer.exampleModels.appendingPathComponent("iris/1/model.onnx"))
        var configuration = ModelConfiguration()
        configuration.routing = RoutingPolicy(
            traffic: [.init(version: 1, percent: 90), .init(version: 2, percent: 10)], tags: ["challenger": 3])
        return (1...3).map { ServedModelVersion(name: "iris", version: $0, model: model, configuration: configuration) }
    }

    @Test func weightsKeysAndTagsDecideTheVersionThatAnswers() async throws {
        try await withTestServer(versions: try Self.versions()) { server in
            let client = server.client()
            let request = try await client.featureRowsRequest(model: "iris", rows: [Iris.setosa])
            var answered: [String: Int] = [:]
            for _ in 0..<1_000 { answered[try await client.infer(request).modelVersion, default: 0] += 1 }
            #expect(Set(answered.keys) == ["1", "2"], "\(answered)")
            #expect(answered["1"]! > 800, "\(answered)")

            var keyed = request
            var key = Inference_InferParameter()
            key.stringParam = "tenant-42"
            keyed.parameters["routing_key"] = key
            let first = try await client.infer(keyed).modelVersion
            for _ in 0..<50 { #expect(try await client.infer(keyed).modelVersion == first) }

            var tagged = request
            tagged.modelVersion = "challenger"
            #expect(try await client.infer(tagged).modelVersion == "3")
            tagged.modelVersion = "nosuchtag"
            await #expect(throws: PredictClientError.self) { try await client.infer(tagged) }
            await client.close()
        }
    }
}
