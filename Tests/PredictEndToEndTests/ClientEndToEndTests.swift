import Foundation
import PredictClient
import PredictProtocol
import Synchronization
import Testing
import PredictServer

/// The real Swift client against the real server over TLS on 127.0.0.1.
@Suite("Client against the server")
struct ClientEndToEndTests {
    @Test func everyCallKindAnswers() async throws {
        try await withTestServer { server in
            let client = server.client()
            #expect(try await client.live())
            #expect(try await client.ready())
            #expect(try await client.modelReady(model: "mlp"))
            #expect(try await !client.modelReady(model: "nosuch"))
            #expect(try await client.serverMetadata().name == "predict")
            let metadata = try await client.metadata(model: "iris")
            #expect(metadata.inputs.map(\.name) == ["X"])
            #expect(metadata.inputs[0].shape == [-1, 4])
            let index = try await client.repositoryIndex()
            #expect(index.models.map(\.name) == ["forest", "identity", "iris", "mlp"])
            var request = Inference_ModelInferRequest.rows(model: "forest", input: "X", [Array(repeating: 0.5, count: 30)], raw: false)
            request.id = "oip"
            let response = try await client.infer(request)
            #expect(response.id == "oip")
            #expect(response.outputs.map(\.name) == ["label", "probabilities"])
            await client.close()
        }
    }

    @Test func typedInferenceGivesTheLabelAndItsConfidence() async throws {
        try await withTestServer { server in
            let client = server.client()
            let predictions = try await client.infer(model: "iris", rows: [Iris.setosa, [6.7, 3.0, 5.2, 2.3]])
            #expect(predictions.count == 2)
            #expect(predictions[0].label == "0")
            #expect(abs(predictions[0].confidence - Iris.setosaProbabilities[0]) < 1e-5)
            #expect(predictions[0].classLabels == ["0", "1", "2"])
            #expect(predictions[1].label == "2")
            #expect(predictions[1].confidence == predictions[1].probabilities.max())
            await client.close()
        }
    }

    @Test func badInputComesBackAsTheServersStatus() async throws {
        try await withTestServer { server in
            let client = server.client()
            let wrongCount = await #expect(throws: PredictClientError.self) {
                try await client.infer(model: "iris", rows: [[1, 2, 3]])
            }
            #expect(wrongCount?.code == .invalidArgument)
            #expect(wrongCount?.message.contains("'X'") == true)
            let unknown = await #expect(throws: PredictClientError.self) {
                try await client.infer(model: "nosuch", rows: [[1]])
            }
            #expect(unknown?.code == .notFound)
            await client.close()
        }
    }

    @Test func aThousandConcurrentCallsOnOneConnectionEachGetTheirOwnAnswer() async throws {
        let model = GatedModel(closed: false)
        try await withTestServer(versions: model.served) { server in
            let client = server.client(connections: 1)
            try await withThrowingTaskGroup(of: (Float, [Float]).self) { group in
                for i in 0..<1_000 {
                    group.addTask {
                        let x = Float(i)
                        let response = try await client.infer(.rows(model: "gated", input: "x", [[x]], raw: i % 2 == 0))
                        let y = response.rawOutputContents.first.map(InferenceCallTests.floats) ?? response.outputs[0].contents.fp32Contents
                        return (x, y)
                    }
                }
                var answered = 0
                for try await (x, y) in group {
                    #expect(y == [x + 1], "call for \(x) got \(y)")
                    answered += 1
                }
                #expect(answered == 1_000)
            }
            await client.close()
        }
    }

    @Test func aCallPastItsDeadlineFailsWithDeadlineExceeded() async throws {
        let model = GatedModel(closed: true)
        try await withTestServer(versions: model.served) { server in
            let client = server.client()
            _ = try await client.live()  // connected, so the deadline measures the call alone
            let error = await #expect(throws: PredictClientError.self) {
                try await client.infer(.rows(model: "gated", input: "x", [[1]], raw: false), timeout: .milliseconds(200))
            }
            #expect(error?.code == .deadlineExceeded)
            model.open()
            #expect(try await client.live())
            await client.close()
        }
    }

    @Test func cancellingTheTaskCancelsTheCallAndTheConnectionGoesOn() async throws {
        let model = GatedModel(closed: true)
        try await withTestServer(versions: model.served) { server in
            let client = server.client()
            _ = try await client.live()
            let call = Task { try await client.infer(.rows(model: "gated", input: "x", [[1]], raw: false)) }
            try await CallRuleTests.waitForArrivals(model, 1)
            call.cancel()
            let outcome = await call.result
            let error = #expect(throws: PredictClientError.self) { try outcome.get() }
            #expect(error?.code == .cancelled)
            model.open()
            let response = try await client.infer(.rows(model: "gated", input: "x", [[5]], raw: false))
            #expect(response.outputs[0].contents.fp32Contents == [6])
            await client.close()
        }
    }

    @Test func aClientTrustingAnotherCAIsRefusedWithAClearError() async throws {
        try await withTestServer { server in
            let other = FileManager.default.temporaryDirectory.appendingPathComponent("predict-e2e-other-\(getpid())")
            let otherCA = try DevCertificateAuthority.prepare(stateDirectory: other)
            let client = PredictClient(configuration: .init(
                host: "localhost", port: server.port,
                security: .tls(trust: .certificateAuthority(pemFile: otherCA.caCertificate.path))))
            let error = await #expect(throws: PredictClientError.self) { try await client.live() }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("certificate") == true, "\(error?.message ?? "")")
            await client.close()
            try? FileManager.default.removeItem(at: other)
        }
    }

    @Test func anIPAddressIsVerifiedAgainstTheCertificate() async throws {
        try await withTestServer { server in
            let client = server.client(host: "127.0.0.1")
            let live = try await client.live()
            #expect(live)
            await client.close()
        }
    }

    @Test func drainMovesTheClientOffAndItsCallFinishes() async throws {
        let model = GatedModel(closed: true)
        let server = try await TestServer.start(versions: model.served)
        let client = server.client()
        let call = Task { try await client.infer(.rows(model: "gated", input: "x", [[1]], raw: false)) }
        try await CallRuleTests.waitForArrivals(model, 1)
        let draining = Task { await server.stop() }
        try await Task.sleep(for: .milliseconds(50))
        model.open()
        let response = try await call.value
        #expect(response.outputs[0].contents.fp32Contents == [2])
        await draining.value
        let after = await #expect(throws: PredictClientError.self) { try await client.live() }
        #expect(after?.code == .unavailable)
        await client.close()
    }
}
