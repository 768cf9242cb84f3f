import Foundation
import PredictClient
import PredictProtocol
import PredictServer
import Testing

/// Issue 7's reload: SIGHUP swaps the certificate and brings in a new model version while
/// calls keep flowing, and not one fails.
@Suite(.serialized)
struct ReloadTests {
    /// A scratch folder with two dev CAs (each with its server certificate), the certificate
    /// files the server reads, a CA bundle trusting both, and a repository of iris version 1.
    struct Scratch {
        let root: URL
        let first: DevCredentials
        let second: DevCredentials
        var certificate: URL { root.appendingPathComponent("tls/cert.pem") }
        var key: URL { root.appendingPathComponent("tls/key.pem") }
        var bundle: URL { root.appendingPathComponent("ca-bundle.pem") }
        var repository: URL { root.appendingPathComponent("repo") }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("predict-reload-\(UUID().uuidString)")
            first = try DevCertificateAuthority.prepare(stateDirectory: root.appendingPathComponent("ca-1"))
            second = try DevCertificateAuthority.prepare(stateDirectory: root.appendingPathComponent("ca-2"))
            let manager = FileManager.default
            try manager.createDirectory(at: certificate.deletingLastPathComponent(), withIntermediateDirectories: true)
            try manager.copyItem(at: first.serverCertificate, to: certificate)
            try manager.copyItem(at: first.serverKey, to: key)
            let both = try Data(contentsOf: first.caCertificate) + Data(contentsOf: second.caCertificate)
            try both.write(to: bundle)
            try addVersion(1)
        }

        /// Puts iris version `number` in the repository in one rename, as a deploy tool would.
        func addVersion(_ number: Int) throws {
            let manager = FileManager.default
            let staging = repository.appendingPathComponent("iris/.staging-\(number)")
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            try manager.copyItem(at: TestServer.exampleModels.appendingPathComponent("iris/1/model.onnx"), to: staging.appendingPathComponent("model.onnx"))
            try manager.moveItem(at: staging, to: repository.appendingPathComponent("iris/\(number)"))
        }

        /// Replaces the certificate pair with the second CA's, each file by rename.
        func swapCertificate() throws {
            for (source, target) in [(second.serverCertificate, certificate), (second.serverKey, key)] {
                let temporary = target.appendingPathExtension("new")
                try Data(contentsOf: source).write(to: temporary)
                guard rename(temporary.path, target.path) == 0 else { throw TestFailure("cannot rename onto \(target.path)") }
            }
        }

        func client(trusting ca: URL, port: Int) -> PredictClient {
            PredictClient(configuration: .init(
                host: "localhost", port: port, security: .tls(trust: .certificateAuthority(pemFile: ca.path)),
                connectionCount: 1, defaultTimeout: .seconds(20)))
        }
    }

    @Test func sighupSwapsCertificateAndAddsModelVersionUnderLoadWithZeroFailures() async throws {
        let scratch = try Scratch()
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        let server = try await ServerProcess([
            "--tls-cert", scratch.certificate.path, "--tls-key", scratch.key.path, "--models", scratch.repository.path,
            "--allow-unauthenticated", "--allow-cpu-sharing", "--reload-poll-interval", "0",
        ])
        defer { server.kill() }
        let clients = (0..<3).map { _ in scratch.client(trusting: scratch.bundle, port: server.port) }
        let request = try await clients[0].featureRowsRequest(model: "iris", rows: [[5.1, 3.5, 1.4, 0.2]])
        let load = SteadyLoad()
        defer { load.stop() }
        async let driving: Void = load.run(clients: clients, concurrency: 8, request: request, endOnUnavailable: false)
        while load.recorded.count < 1_000 { try await Task.sleep(for: .milliseconds(10)) }

        // Before: only the first CA's certificate is served.
        let secondOnly = scratch.client(trusting: scratch.second.caCertificate, port: server.port)
        await #expect(throws: PredictClientError.self) { try await secondOnly.live() }
        await secondOnly.close()

        try scratch.swapCertificate()
        try scratch.addVersion(2)
        server.signal(SIGHUP)
        _ = try await server.waitForEvent("model version unloaded")
        let swappedAt = load.recorded.count
        while load.recorded.count < swappedAt + 1_000 { try await Task.sleep(for: .milliseconds(10)) }
        load.stop()
        await driving

        // After: new handshakes get the second CA's certificate; the load's connections,
        // opened before the swap, went on.
        let renewed = scratch.client(trusting: scratch.second.caCertificate, port: server.port)
        #expect(try await renewed.live())
        await renewed.close()
        for client in clients { await client.close() }

        let outcomes = load.recorded
        let failures = outcomes.compactMap { if case .failure(let error) = $0.result { error } else { nil } }
        #expect(failures.isEmpty, "\(failures.count) failed calls, first: \(failures.first.map { "\($0)" } ?? "")")
        let versions = outcomes.compactMap { try? $0.result.get() }
        #expect(versions.contains("1") && versions.contains("2"))
        // Once version 2 answered, version 1 (unloaded) never did again.
        let firstTwo = versions.firstIndex(of: "2")!
        let laterOnes = versions[firstTwo...].filter { $0 == "1" }.count
        #expect(laterOnes < 64, "version 1 answered \(laterOnes) calls after version 2 took over (at most the calls already queued)")
        let loaded = try await server.waitForEvent("model version loaded")
        #expect(loaded["version"] as? String == "iris/2")
        #expect(server.events.contains { $0["message"] as? String == "TLS certificate reloaded" })

        server.signal(SIGTERM)
        #expect(try await server.waitForExit(timeout: .seconds(15)) == 0)
    }

    @Test func watcherReloadsWithoutASignalAndABrokenVersionLeavesTheOldOneServing() async throws {
        let scratch = try Scratch()
        defer { try? FileManager.default.removeItem(at: scratch.root) }
        let server = try await ServerProcess([
            "--tls-cert", scratch.certificate.path, "--tls-key", scratch.key.path, "--models", scratch.repository.path,
            "--allow-unauthenticated", "--allow-cpu-sharing", "--reload-poll-interval", "200ms",
        ])
        defer { server.kill() }
        // Version 2 is not an ONNX model: it fails to load, version 1 keeps serving.
        let broken = scratch.repository.appendingPathComponent("iris/.staging")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        try Data("not onnx".utf8).write(to: broken.appendingPathComponent("model.onnx"))
        try FileManager.default.moveItem(at: broken, to: scratch.repository.appendingPathComponent("iris/2"))
        let reloaded = try await server.waitForEvent("reloading", timeout: .seconds(20))
        #expect(reloaded["trigger"] as? String == "a watched file changed")
        let client = scratch.client(trusting: scratch.bundle, port: server.port)
        // The repository now lists version 2 as unavailable; a call for "newest" still answers.
        try await Task.sleep(for: .milliseconds(500))
        let request = try await client.featureRowsRequest(model: "iris", version: "1", rows: [[5.1, 3.5, 1.4, 0.2]])
        #expect(try await client.infer(request).modelVersion == "1")
        await #expect(throws: PredictClientError.self) { try await client.metadata(model: "iris", version: "2") }
        await client.close()
        server.signal(SIGTERM)
        #expect(try await server.waitForExit(timeout: .seconds(15)) == 0)
    }
}
