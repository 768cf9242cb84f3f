import Foundation
import PredictClient
import PredictProtocol
import PredictServer
import PredictServing
import Testing

/// Issue 9's administration calls over TLS with authentication: admins only, each change
/// atomic, refused changes leave the old policy, written back to config.yaml.
@Suite(.serialized)
struct TrafficAdministrationTests {
    /// A repository with iris versions 1 and 2 (the default version policy loads only 2).
    static func repository() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("predict-traffic-\(UUID().uuidString)")
        for version in 1...2 {
            let directory = root.appendingPathComponent("iris/\(version)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                at: TestServer.exampleModels.appendingPathComponent("iris/1/model.onnx"), to: directory.appendingPathComponent("model.onnx"))
        }
        return root
    }

    static func client(_ server: TestServer, _ email: String) -> PredictClient {
        let token = String(AuthenticationTests.bearer(email).dropFirst("Bearer ".count))
        return PredictClient(configuration: .init(
            host: "localhost", port: server.port,
            security: .tls(trust: .certificateAuthority(pemFile: TestServer.credentials.caCertificate.path)),
            tokenProvider: { token }, connectionCount: 1, defaultTimeout: .seconds(30)))
    }

    static func policy(_ shares: [(Int64, UInt32)], tags: [String: Int64] = [:]) -> Predict_V1_TrafficPolicy {
        var policy = Predict_V1_TrafficPolicy()
        policy.traffic = shares.map { version, percent in
            var share = Predict_V1_TrafficPolicy.Share()
            share.version = version
            share.percent = percent
            return share
        }
        policy.tags = tags
        return policy
    }

    static func weights(_ response: Predict_V1_TrafficResponse) -> [String] {
        response.policy.traffic.map { "\($0.version)=\($0.percent)" }
    }

    @Test func aNonAdminGetsPermissionDeniedForEveryAdministrationCall() async throws {
        let repository = try Self.repository()
        defer { try? FileManager.default.removeItem(at: repository) }
        let server = try await TestServer.start(repository: repository, authentication: AuthenticationTests.authentication())
        let alice = Self.client(server, "alice@example.com")
        let calls: [(String, () async throws(PredictClientError) -> Predict_V1_TrafficResponse)] = [
            ("traffic_get", { () async throws(PredictClientError) in try await alice.traffic(model: "iris") }),
            ("traffic_set", { () async throws(PredictClientError) in try await alice.setTraffic(model: "iris", policy: Self.policy([(2, 100)])) }),
            ("tag_set", { () async throws(PredictClientError) in try await alice.setTag(model: "iris", tag: "challenger", version: 2) }),
            ("traffic_rollback", { () async throws(PredictClientError) in try await alice.rollbackTraffic(model: "iris") }),
            ("version_load", { () async throws(PredictClientError) in try await alice.loadVersion(model: "iris", version: 1) }),
        ]
        do {
            _ = try await alice.shadowStatistics(model: "iris")
            Issue.record("shadow_stats succeeded for a non-admin")
        } catch {
            #expect(error.code == .permissionDenied, "shadow_stats: \(error)")
        }
        for (name, call) in calls {
            do {
                _ = try await call()
                Issue.record("\(name) succeeded for a non-admin")
            } catch {
                #expect(error.code == .permissionDenied, "\(name): \(error)")
            }
        }
        await alice.close()
        await server.stop()
        // Nothing was written.
        #expect(!FileManager.default.fileExists(atPath: repository.appendingPathComponent("iris/config.yaml").path))
    }

    @Test func canaryTagRefusedChangesRollbackAndWriteBack() async throws {
        let repository = try Self.repository()
        defer { try? FileManager.default.removeItem(at: repository) }
        let server = try await TestServer.start(repository: repository, authentication: AuthenticationTests.authentication())
        let root = Self.client(server, "root@example.com")
        do {
            var response = try await root.traffic(model: "iris")
            #expect(response.policy.traffic.isEmpty)
            #expect(response.loadedVersions == [2])

            // Version 1 takes everything (it loads because the policy names it), 2 is tagged.
            response = try await root.setTraffic(model: "iris", policy: Self.policy([(1, 100)]))
            #expect(Self.weights(response) == ["1=100"])
            #expect(response.loadedVersions == [1, 2])
            response = try await root.setTag(model: "iris", tag: "challenger", version: 2)
            #expect(response.policy.tags == ["challenger": 2])
            // Canary: 90/10, keeping the tag.
            var canary = response.policy
            canary.traffic = Self.policy([(1, 90), (2, 10)]).traffic
            response = try await root.setTraffic(model: "iris", policy: canary)
            #expect(Self.weights(response) == ["1=90", "2=10"])
            #expect(response.history == 3)

            // Refused, naming the problem; the canary stays.
            for (bad, problem) in [
                (Self.policy([(1, 90), (2, 5)]), "percents must sum to 100; they sum to 95"),
                (Self.policy([(1, 50), (7, 50)]), "has no version 7 in the repository"),
                (Self.policy([(1, 100)], tags: ["9lives": 1]), "'9lives' cannot be a tag"),
            ] {
                do {
                    _ = try await root.setTraffic(model: "iris", policy: bad)
                    Issue.record("accepted \(bad)")
                } catch {
                    #expect(error.code == .invalidArgument)
                    #expect(error.message.contains(problem), "\(error.message)")
                }
            }
            do {
                _ = try await root.loadVersion(model: "iris", version: 1, unload: true)
                Issue.record("unloaded a version carrying traffic")
            } catch {
                #expect(error.code == .invalidArgument)
            }
            #expect(Self.weights(try await root.traffic(model: "iris")) == ["1=90", "2=10"])

            // Written back: a restart would serve the same policy.
            let text = try String(contentsOf: repository.appendingPathComponent("iris/config.yaml"), encoding: .utf8)
            let written = try ModelConfiguration.parse(text, file: "config.yaml")
            #expect(written.routing == RoutingPolicy(traffic: [.init(version: 1, percent: 90), .init(version: 2, percent: 10)], tags: ["challenger": 2]))

            // Rollback: back to 1=100 with the tag, then before the tag.
            response = try await root.rollbackTraffic(model: "iris")
            #expect(Self.weights(response) == ["1=100"] && response.policy.tags == ["challenger": 2])
            response = try await root.rollbackTraffic(model: "iris")
            #expect(response.policy.tags.isEmpty)
            #expect(response.history == 1)
        } catch {
            await root.close()
            await server.stop()
            throw error
        }
        await root.close()
        await server.stop()
    }

    @Test func aPolicyChangeAndARollbackUnderLoadFailNoCallAndRouteOnlyAsAllowed() async throws {
        let repository = try Self.repository()
        defer { try? FileManager.default.removeItem(at: repository) }
        try "traffic: [{version: 1, percent: 100}]\n".write(to: repository.appendingPathComponent("iris/config.yaml"), atomically: true, encoding: .utf8)
        let server = try await TestServer.start(repository: repository, authentication: AuthenticationTests.authentication())
        let root = Self.client(server, "root@example.com")
        let callers = (0..<4).map { _ in Self.client(server, "alice@example.com") }
        let request = try await callers[0].featureRowsRequest(model: "iris", rows: [Iris.setosa])
        let load = SteadyLoad()
        defer { load.stop() }
        async let driving: Void = load.run(clients: callers, concurrency: 16, request: request, endOnUnavailable: false)
        while load.recorded.count < 500 { try await Task.sleep(for: .milliseconds(5)) }

        let promoteSent = ContinuousClock.now
        _ = try await root.setTraffic(model: "iris", policy: Self.policy([(2, 100)]))
        let promoted = ContinuousClock.now
        let before = load.recorded.count
        while load.recorded.count < before + 500 { try await Task.sleep(for: .milliseconds(5)) }
        let rollbackSent = ContinuousClock.now
        _ = try await root.rollbackTraffic(model: "iris")
        let rolledBack = ContinuousClock.now
        let after = load.recorded.count
        while load.recorded.count < after + 500 { try await Task.sleep(for: .milliseconds(5)) }
        load.stop()
        await driving
        for client in callers + [root] { await client.close() }
        await server.stop()

        let outcomes = load.recorded
        let failures = outcomes.compactMap { if case .failure(let error) = $0.result { error } else { nil } }
        #expect(failures.isEmpty, "\(failures.count) failed, first: \(failures.first.map { "\($0)" } ?? "")")
        var wrong = 0
        for outcome in outcomes {
            guard case .success(let version) = outcome.result else { continue }
            // What the policy allowed while the call was in flight.
            var allowed: Set<String> = []
            if outcome.startedAt < promoted { allowed.insert("1") }
            if outcome.finishedAt > promoteSent && outcome.startedAt < rolledBack { allowed.insert("2") }
            if outcome.finishedAt > rollbackSent { allowed.insert("1") }
            if !allowed.contains(version) { wrong += 1 }
        }
        #expect(wrong == 0, "\(wrong) calls answered by a version the policy did not allow then")
        #expect(outcomes.contains { (try? $0.result.get()) == "2" })
    }

    @Test func theTrafficCommandShowsChangesAndRollsBack() async throws {
        let repository = try Self.repository()
        defer { try? FileManager.default.removeItem(at: repository) }
        let server = try await TestServer.start(repository: repository)
        func run(_ arguments: [String]) async throws -> CommandLineTool.Run {
            try await PredictClientCommandTests.run(server, ["traffic", "iris"] + arguments)
        }
        do {
            var result = try await run(["--to", "1=90,2=10"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("traffic  1=90%, 2=10%"), "\(result.stdout)")
            #expect(result.stdout.contains("loaded   1, 2"))
            result = try await run(["--tag", "challenger=2"])
            #expect(result.stdout.contains("tags     challenger=2"), "\(result.stdout)")
            result = try await run(["--to", "1=90,2=5"])
            #expect(result.status == 3, "INVALID_ARGUMENT is exit 3: \(result.stderr)")
            #expect(result.stderr.contains("percents must sum to 100; they sum to 95"))
            result = try await run(["--rollback"])
            #expect(result.stdout.contains("tags     none"), "\(result.stdout)")
            result = try await PredictClientCommandTests.run(server, ["--json", "traffic", "iris"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            #expect((object["loaded"] as? [Int]) == [1, 2])
            result = try await run(["--to", "1=90", "--tag", "x=1"])
            #expect(result.status == 64, "one change at a time")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }
}
