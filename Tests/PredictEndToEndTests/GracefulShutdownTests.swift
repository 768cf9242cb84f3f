import Foundation
import PredictClient
import PredictProtocol
import Testing

/// Issue 7's drain: SIGTERM under load loses no call, and the process exits 0 in time.
@Suite(.serialized)
struct GracefulShutdownTests {
    @Test func sigtermUnderLoadGivesEveryCallExactlyOneResultAndExitsZero() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("predict-drain-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let server = try await ServerProcess(["--dev", "--state-dir", state.path, "--models", TestServer.exampleModels.path, "--drain-timeout", "5s"])
        defer { server.kill() }
        let token = try String(contentsOf: state.appendingPathComponent("dev-token"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let clients = (0..<4).map { _ in
            PredictClient(configuration: .init(
                host: "localhost", port: server.port,
                security: .tls(trust: .certificateAuthority(pemFile: state.appendingPathComponent("ca.pem").path)),
                tokenProvider: { token }, connectionCount: 1, defaultTimeout: .seconds(20)))
        }
        let request = try await clients[0].featureRowsRequest(model: "iris", rows: [[5.1, 3.5, 1.4, 0.2]])
        let load = SteadyLoad()
        defer { load.stop() }
        async let driving: Void = load.run(clients: clients, concurrency: 8, request: request, endOnUnavailable: true)

        // Load is steady (every connection has calls in flight) before the signal.
        while load.recorded.count < 2_000 { try await Task.sleep(for: .milliseconds(10)) }
        let signalled = ContinuousClock.now
        server.signal(SIGTERM)
        let status = try await server.waitForExit(timeout: .seconds(15))
        let exitedAfter = ContinuousClock.now - signalled
        await driving
        for client in clients { await client.close() }

        #expect(status == 0, "exit status \(status.map(String.init) ?? "none: killed after 15 s")\n\(server.log)")
        #expect(exitedAfter < .seconds(5), "exited \(exitedAfter) after SIGTERM; the drain timeout is 5 s")
        let outcomes = load.recorded
        let ok = outcomes.filter { if case .success = $0.result { true } else { false } }
        let failures = outcomes.compactMap { if case .failure(let error) = $0.result { error } else { nil } }
        #expect(ok.count >= 2_000)
        // Every failure is UNAVAILABLE for a call the server never accepted: refused while
        // draining, or no server left to connect to. An accepted call cut off would read
        // "closed before the result".
        for error in failures {
            #expect(error.code == .unavailable, "\(error)")
            #expect(!error.message.contains("closed before the result"), "an accepted call was lost: \(error)")
        }
        // 32 callers, each ending at its first UNAVAILABLE.
        #expect(failures.count == 32)
        // Calls finished after the signal: the ones in flight were completed, not dropped.
        #expect(ok.contains { $0.finishedAt > signalled }, "no call in flight at SIGTERM was answered")
        #expect(server.events.contains { $0["message"] as? String == "drained" })
    }

    @Test func sigintWhileIdleExitsZero() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("predict-drain0-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let server = try await ServerProcess(["--dev", "--state-dir", state.path, "--models", TestServer.exampleModels.path, "--drain-timeout", "0"])
        defer { server.kill() }
        server.signal(SIGINT)
        #expect(try await server.waitForExit(timeout: .seconds(10)) == 0)
    }
}
