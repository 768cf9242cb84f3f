import Foundation
import Testing

/// `predict-client` run as a subprocess against a real server over TLS.
@Suite("predict-client against the server")
struct PredictClientCommandTests {
    static func run(_ server: TestServer, _ arguments: [String], environment: [String: String] = [:]) async throws -> CommandLineTool.Run {
        try await CommandLineTool("predict-client").run(
            ["--server", "localhost:\(server.port)", "--ca", TestServer.credentials.caCertificate.path] + arguments,
            environment: environment)
    }

    @Test func inferWithFeaturesPrintsThePredictionAndItsConfidence() async throws {
        try await withTestServer { server in
            let run = try await Self.run(server, ["infer", "iris", "--features", "5.1,3.5,1.4,0.2"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "prediction: 0  confidence: 0.982\n")
        }
    }

    @Test func inferWithJSONPrintsProbabilitiesByClass() async throws {
        try await withTestServer { server in
            let run = try await Self.run(server, ["--json", "infer", "iris", "--features", "5.1,3.5,1.4,0.2"])
            #expect(run.status == 0, "\(run.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            #expect(object["prediction"] as? String == "0")
            let confidence = try #require(object["confidence"] as? Double)
            #expect(abs(confidence - 0.981657) < 1e-5)
            let probabilities = try #require(object["probabilities"] as? [String: Double])
            #expect(Set(probabilities.keys) == ["0", "1", "2"])
        }
    }

    @Test func inferWithAFileOfRowsPrintsJSONLinesInInputOrder() async throws {
        try await withTestServer { server in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("rows-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).csv")
            let rows = (0..<500).map { i in i % 2 == 0 ? "5.1,3.5,1.4,0.2" : "6.7,3.0,5.2,2.3" }
            try ("sepal_length,sepal_width,petal_length,petal_width\n" + rows.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let run = try await Self.run(server, ["infer", "iris", "--input", file.path, "--batch-size", "64", "--concurrency", "3"])
            #expect(run.status == 0, "\(run.stderr)")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 500)
            for (index, line) in lines.enumerated() {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(object["row"] as? Int == index)
                #expect(object["prediction"] as? String == (index % 2 == 0 ? "0" : "2"), "row \(index): \(line)")
            }
        }
    }

    @Test func liveReadyAndModelsReportTheServer() async throws {
        try await withTestServer { server in
            let live = try await Self.run(server, ["live"])
            #expect(live.status == 0)
            #expect(live.stdout == "live\n")
            let ready = try await Self.run(server, ["ready"])
            #expect(ready.status == 0)
            let models = try await Self.run(server, ["models"])
            #expect(models.status == 0, "\(models.stderr)")
            for name in ["forest", "iris", "mlp"] { #expect(models.stdout.contains(name)) }
            let metadata = try await Self.run(server, ["metadata", "forest"])
            #expect(metadata.status == 0)
            #expect(metadata.stdout.contains("X"))
        }
    }

    @Test func anUnknownModelIsOneLineAndExitCodeFive() async throws {
        try await withTestServer { server in
            let run = try await Self.run(server, ["infer", "nosuch", "--features", "1,2"])
            #expect(run.status == 5)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.hasPrefix("error: NOT_FOUND: "), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test func aWrongFeatureCountIsExitCodeThree() async throws {
        try await withTestServer { server in
            let run = try await Self.run(server, ["infer", "iris", "--features", "1,2,3"])
            #expect(run.status == 3)
            #expect(run.stderr.hasPrefix("error: INVALID_ARGUMENT: "), "\(run.stderr)")
        }
    }

    @Test func theTokenNeverAppearsInAnError() async throws {
        try await withTestServer { server in
            let token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJzZWNyZXQifQ.c2lnbmF0dXJl"
            let run = try await Self.run(server, ["infer", "nosuch", "--features", "1"], environment: ["PREDICT_TOKEN": token])
            #expect(run.status == 5)
            #expect(!run.stderr.contains(token) && !run.stdout.contains(token))
        }
    }

    @Test func aServerThatIsNotThereIsUnavailableExitCodeFourteen() async throws {
        // A port nothing listens on: bind one, learn its number, close it.
        let server = try await TestServer.start()
        let port = server.port
        await server.stop()
        let run = try await CommandLineTool("predict-client").run(
            ["--server", "127.0.0.1:\(port)", "--ca", TestServer.credentials.caCertificate.path, "live"])
        #expect(run.status == 14)
        #expect(run.stderr.hasPrefix("error: UNAVAILABLE: "), "\(run.stderr)")
        #expect(run.stderr.contains("\(port)"))
    }
}
