import Foundation
import Testing

/// `predict-bench` run as a subprocess against a real server over TLS.
@Suite("predict-bench against the server")
struct PredictBenchCommandTests {
    static func run(_ server: TestServer, _ arguments: [String]) async throws -> CommandLineTool.Run {
        try await CommandLineTool("predict-bench").run(
            ["--server", "localhost:\(server.port)", "--ca", TestServer.credentials.caCertificate.path] + arguments)
    }

    static func report(_ run: CommandLineTool.Run) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)\n\(run.stderr)")
    }

    @Test func aClosedLoopRunReportsThroughputPercentilesAndStatuses() async throws {
        try await withTestServer { server in
            let run = try await Self.run(server, ["--model", "forest", "--rows", "3", "--concurrency", "8", "--duration", "1", "--warmup", "0.2", "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            let report = try Self.report(run)
            let calls = try #require(report["calls"] as? Int)
            #expect(calls > 10)
            #expect(report["status_counts"] as? [String: Int] == ["OK": calls])
            #expect(report["errors"] as? Int == 0)
            #expect(report["rows_per_call"] as? Int == 3)
            let callsPerSecond = try #require(report["calls_per_second"] as? Double)
            #expect(abs(report["rows_per_second"] as! Double - 3 * callsPerSecond) < 1e-6)
            let latency = try #require(report["latency_us"] as? [String: Double])
            #expect(latency["p50"]! > 0 && latency["p50"]! <= latency["p99"]! && latency["p99"]! <= latency["max"]!)
        }
    }

    @Test func anOpenLoopRunOffersItsRateFromAFileOfRows() async throws {
        try await withTestServer { server in
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-rows-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).csv")
            try "5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n".write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let run = try await Self.run(server, ["--model", "iris", "--input", file.path, "--rate", "200", "--arrivals", "poisson", "--duration", "1", "--warmup", "0", "--json"])
            #expect(run.status == 0, "\(run.stderr)")
            let report = try Self.report(run)
            // A Poisson process of 200/s over 1 s: 200 ± a few standard deviations (√200 ≈ 14).
            let calls = try #require(report["calls"] as? Int)
            #expect((130...270).contains(calls))
            let load = try #require(report["load"] as? [String: Any])
            #expect(load["mode"] as? String == "open")
            #expect(load["arrivals"] as? String == "poisson")
            #expect(report["generator_lag_p99_us"] is Double)
        }
    }

    @Test func errorsPastTheAllowedRateExitNonZeroWithTheirStatuses() async throws {
        try await withTestServer { server in
            // Rows of 3 features for a model that takes 4: every call is INVALID_ARGUMENT.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("bench-bad-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).csv")
            try "1,2,3\n".write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let run = try await Self.run(server, ["--model", "iris", "--input", file.path, "--concurrency", "2", "--duration", "0.5", "--warmup", "0", "--json"])
            #expect(run.status == 1)
            let report = try Self.report(run)
            #expect(report["error_rate"] as? Double == 1)
            #expect((report["status_counts"] as? [String: Int])?.keys.sorted() == ["INVALID_ARGUMENT"])
            #expect(run.stderr.contains("more than --max-error-rate"))
            let tolerated = try await Self.run(server, ["--model", "iris", "--input", file.path, "--concurrency", "2", "--duration", "0.3", "--warmup", "0", "--max-error-rate", "1"])
            #expect(tolerated.status == 0, "\(tolerated.stderr)")
            #expect(tolerated.stdout.contains("INVALID_ARGUMENT"))
        }
    }

    @Test func anUnknownModelFailsBeforeAnyLoadWithItsStatus() async throws {
        try await withTestServer { server in
            let run = try await Self.run(server, ["--model", "nope", "--duration", "1"])
            #expect(run.status == 5)
            #expect(run.stderr.contains("NOT_FOUND"))
            #expect(run.stdout.isEmpty)
        }
    }

    @Test func badArgumentsAreUsageErrors() async throws {
        try await withTestServer { server in
            let zeroRate = try await Self.run(server, ["--model", "iris", "--rate", "0"])
            #expect(zeroRate.status == 64)
            #expect(zeroRate.stderr.contains("--rate must be a positive number"))
            let badErrorRate = try await Self.run(server, ["--model", "iris", "--max-error-rate", "2"])
            #expect(badErrorRate.status == 64)
        }
    }
}
