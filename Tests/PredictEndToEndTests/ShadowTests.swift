import Foundation
import PredictClient
import PredictProtocol
import PredictServing
import Testing

/// Issue 9's champion/challenger: copies of routed calls run on the shadow version, the caller
/// is answered by the routed version only, and the comparison is exact.
@Suite(.serialized)
struct ShadowTests {
    /// Version 1 answers callers; version 2 shadows it.
    static func versions(champion: ThresholdClassifier, challenger: ThresholdClassifier, maxQueue: Int = 1024) -> [ServedModelVersion] {
        var configuration = ModelConfiguration()
        configuration.routing = RoutingPolicy(traffic: [.init(version: 1, percent: 100)], shadow: .init(version: 2, percent: 100))
        configuration.maxQueue = maxQueue
        configuration.maxBatchSize = 0
        return [
            ServedModelVersion(name: "pair", version: 1, model: champion, configuration: configuration),
            ServedModelVersion(name: "pair", version: 2, model: challenger, configuration: configuration),
        ]
    }

    static func request(_ x: Float) -> Inference_ModelInferRequest {
        var request = Inference_ModelInferRequest()
        request.modelName = "pair"
        var input = Inference_ModelInferRequest.InferInputTensor()
        input.name = "x"
        input.datatype = "FP32"
        input.shape = [1, 1]
        input.contents.fp32Contents = [x]
        request.inputs = [input]
        return request
    }

    /// Polls the statistics until `done` holds.
    static func statistics(_ client: PredictClient, until done: (Predict_V1_ShadowStatsResponse.Pair) -> Bool) async throws -> Predict_V1_ShadowStatsResponse.Pair {
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let pairs = try await client.shadowStatistics(model: "pair").pairs
            if let pair = pairs.first, done(pair) { return pair }
            if ContinuousClock.now > deadline { throw TestFailure("shadow statistics never settled: \(pairs)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func statisticsAreExactForModelsBuiltToDisagreeOnAKnownFraction() async throws {
        // Labels differ for x in (0.5, 0.7]: 20 of x = 0.00 … 0.99; probabilities by 0.1.
        let versions = Self.versions(champion: ThresholdClassifier(threshold: 0.5), challenger: ThresholdClassifier(threshold: 0.7, offset: 0.1))
        try await withTestServer(versions: versions) { server in
            let client = server.client()
            for k in 0..<100 {
                let response = try await client.infer(Self.request(Float(k) / 100))
                #expect(response.modelVersion == "1", "the caller is answered by the routed version only")
            }
            let pair = try await Self.statistics(client) { $0.compared == 100 }
            #expect(pair.primaryVersion == 1 && pair.shadowVersion == 2)
            #expect(pair.rows == 100)
            #expect(pair.agreeingRows == 80)
            #expect(pair.labelAgreement == 0.8)
            #expect(abs(pair.meanAbsDifference - 0.1) < 1e-6, "\(pair.meanAbsDifference)")
            #expect(abs(pair.maxAbsDifference - 0.1) < 1e-6, "\(pair.maxAbsDifference)")
            #expect(pair.shadowErrors == 0 && pair.shed == 0 && pair.mismatched == 0)
            // A call naming its version is not copied.
            var named = Self.request(0.3)
            named.modelVersion = "1"
            _ = try await client.infer(named)
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await client.shadowStatistics(model: "pair").pairs.first?.compared == 100)

            let table = try await PredictClientCommandTests.run(server, ["compare", "pair"])
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("80.00% (80/100)"), "\(table.stdout)")
            await client.close()
        }
    }

    @Test func aFailingShadowNeverFailsTheCaller() async throws {
        let versions = Self.versions(champion: ThresholdClassifier(threshold: 0.5), challenger: ThresholdClassifier(threshold: 0.5, fails: true))
        try await withTestServer(versions: versions) { server in
            let client = server.client()
            for k in 0..<50 { #expect(try await client.infer(Self.request(Float(k) / 50)).modelVersion == "1") }
            let pair = try await Self.statistics(client) { $0.shadowErrors == 50 }
            #expect(pair.compared == 0)
            await client.close()
        }
    }

    @Test func aVerySlowShadowNeverDelaysTheCallerAndIsShed() async throws {
        // Each shadow batch takes 100 ms and its queue holds 2: most copies are shed.
        let versions = Self.versions(
            champion: ThresholdClassifier(threshold: 0.5),
            challenger: ThresholdClassifier(threshold: 0.5, delay: .milliseconds(100)), maxQueue: 2)
        try await withTestServer(versions: versions) { server in
            let client = server.client()
            let start = ContinuousClock.now
            for k in 0..<60 { #expect(try await client.infer(Self.request(Float(k) / 60)).modelVersion == "1") }
            let elapsed = ContinuousClock.now - start
            // Waiting for the shadow would take at least 60 × 100 ms.
            #expect(elapsed < .seconds(3), "60 calls took \(elapsed)")
            let pair = try await Self.statistics(client) { $0.shed + $0.compared >= 60 }
            #expect(pair.shed >= 40, "\(pair)")
            await client.close()
        }
    }
}
