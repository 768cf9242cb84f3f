import Foundation
import PredictRuntime
import Testing
@testable import PredictServing

/// config.yaml's `traffic`, `tags` and `sticky` (issue 9): read strictly, refused with the
/// reason, and routed as written.
struct RoutingPolicyParsingTests {
    static func parse(_ yaml: String) throws(ConfigurationError) -> ModelConfiguration {
        try ModelConfiguration.parse(yaml, file: "REPO/iris/config.yaml")
    }

    static func failure(_ yaml: String) -> String {
        do {
            _ = try parse(yaml)
            return "parsed"
        } catch {
            return error.description
        }
    }

    @Test func flowAndBlockFormsAreRead() throws {
        let flow = try Self.parse("traffic: [{version: 1, percent: 90}, {version: 2, percent: 10}]\ntags: {challenger: 2}\nsticky: principal\nshadow: {version: 3}")
        let block = try Self.parse("""
            traffic:
              - version: 1
                percent: 90
              - {version: 2, percent: 10}
            tags:
              challenger: 2
            sticky: principal
            shadow:
              version: 3
              percent: 100
            """)
        let expected = RoutingPolicy(
            traffic: [.init(version: 1, percent: 90), .init(version: 2, percent: 10)], tags: ["challenger": 2], sticky: .principal,
            shadow: .init(version: 3, percent: 100))
        #expect(flow.routing == expected)
        #expect(block.routing == expected)
        #expect(expected.namedVersions == [1, 2, 3])
    }

    @Test(arguments: [
        ("traffic: [{version: 1, percent: 90}, {version: 2, percent: 5}]", "REPO/iris/config.yaml: 'traffic' percents must sum to 100; they sum to 95 (1: 90%, 2: 5%)"),
        ("traffic: [{version: 1, percent: 50}, {version: 1, percent: 50}]", "REPO/iris/config.yaml: 'traffic' lists version 1 more than once"),
        ("traffic: [{version: 1, percent: 110}]", "REPO/iris/config.yaml: 'traffic.percent' must be a whole percent from 0 to 100; got 110"),
        ("traffic: [{version: 1, percent: -10}, {version: 2, percent: 110}]", "REPO/iris/config.yaml: 'traffic.percent' must be an integer ≥ 0 (a whole percent from 0 to 100); got -10"),
        ("traffic: [{version: 1, percent: 90.5}, {version: 2, percent: 9.5}]", "REPO/iris/config.yaml: 'traffic.percent' must be an integer ≥ 0 (a whole percent from 0 to 100); got 90.5"),
        ("traffic: [{version: 0, percent: 100}]", "REPO/iris/config.yaml: 'traffic.version' must be an integer ≥ 1 (a version number); got 0"),
        ("traffic: [{version: 1}]", "REPO/iris/config.yaml: 'traffic' each entry needs both version and percent; got a mapping"),
        ("traffic: [{version: 1, percent: 100, weight: 3}]", "REPO/iris/config.yaml: 'traffic' entries have the keys version and percent only; got \"weight\""),
        ("traffic: {version: 1, percent: 100}", "REPO/iris/config.yaml: 'traffic' must be a non-empty list of {version, percent}, e.g. [{version: 1, percent: 90}, {version: 2, percent: 10}]; got a mapping"),
        ("tags: {2: 1}", "REPO/iris/config.yaml: 'tags' has the tag 2; a tag starts with a letter and holds letters, digits, _, . or - (so it is never a version number)"),
        ("tags: {challenger: two}", "REPO/iris/config.yaml: 'tags.challenger' must be an integer ≥ 1 (the version the tag reaches); got \"two\""),
        ("tags: [challenger]", "REPO/iris/config.yaml: 'tags' must be a mapping of tag name to version, e.g. {challenger: 2}; got a list"),
        ("sticky: always", "REPO/iris/config.yaml: 'sticky' must be principal or none; got \"always\""),
        ("shadow: 2", "REPO/iris/config.yaml: 'shadow' must be a mapping {version: V, percent: P}, e.g. {version: 2, percent: 100}; got 2"),
        ("shadow: {version: 2, percent: 101}", "REPO/iris/config.yaml: 'shadow.percent' must be a whole percent from 0 to 100; got 101"),
        ("shadow: {percent: 50}", "REPO/iris/config.yaml: 'shadow' needs a version"),
    ])
    func badPoliciesAreRefusedWithTheReason(yaml: String, message: String) {
        #expect(Self.failure(yaml) == message)
    }
}

@Suite(.serialized)
struct VersionRoutingTests {
    /// iris versions 1, 2 and 3 from one model file, with `routing`.
    static func service(_ routing: RoutingPolicy) throws -> InferenceService {
        let model = try InferenceModel(contentsOf: InferenceServiceTests.examples.appendingPathComponent("iris/1/model.onnx"))
        var configuration = ModelConfiguration()
        configuration.routing = routing
        return try InferenceService(
            (1...3).map { ServedModelVersion(name: "iris", version: $0, model: model, configuration: configuration) },
            options: ServingOptions(allowCPUSharing: true, cpus: [0]))
    }

    static func route(_ service: InferenceService, version: String = "", key: String? = nil, principal: String? = nil) -> Int? {
        service.withVersion(model: "iris", version: version, routingKey: key, principal: principal) { try? $0.get().number }
    }

    static let canary = RoutingPolicy(traffic: [.init(version: 1, percent: 90), .init(version: 2, percent: 10)], tags: ["challenger": 3])

    @Test func hundredThousandCallsLandWithinOnePointOfTheWeights() throws {
        let service = try Self.service(Self.canary)
        defer { service.shutdown() }
        var counts: [Int: Int] = [:]
        for _ in 0..<100_000 { counts[Self.route(service) ?? 0, default: 0] += 1 }
        #expect(abs(Double(counts[1] ?? 0) / 1000 - 90) < 1, "\(counts)")
        #expect(abs(Double(counts[2] ?? 0) / 1000 - 10) < 1, "\(counts)")
        // Version 3 is loaded but named only by a tag: a no-traffic deploy.
        #expect(counts[3] == nil, "\(counts)")
        #expect(counts[0] == nil)
    }

    @Test func stickyKeysNeverSwitchWhileTheWeightsStand() throws {
        let service = try Self.service(Self.canary)
        defer { service.shutdown() }
        var landed: [Int: Int] = [:]
        for caller in 0..<2_000 {
            let key = "caller-\(caller)"
            let first = try #require(Self.route(service, key: key))
            for _ in 0..<10 { #expect(Self.route(service, key: key) == first) }
            landed[first, default: 0] += 1
        }
        // Keys spread by the weights too.
        #expect(landed[1]! > 1_700 && landed[2]! > 120, "\(landed)")
    }

    @Test func stickyByPrincipalUsesThePrincipalOnlyWhenConfigured() throws {
        var sticky = Self.canary
        sticky.sticky = .principal
        let service = try Self.service(sticky)
        defer { service.shutdown() }
        for caller in 0..<200 {
            let principal = "svc-\(caller)@example.com"
            let first = Self.route(service, principal: principal)
            for _ in 0..<5 { #expect(Self.route(service, principal: principal) == first) }
        }
        let plain = try Self.service(Self.canary)
        defer { plain.shutdown() }
        // Not sticky by principal: one principal's calls follow the weights.
        let versions = Set((0..<500).compactMap { _ in Self.route(plain, principal: "svc@example.com") })
        #expect(versions == [1, 2])
    }

    @Test func tagsAndNumbersReachTheirVersionWhateverTheWeights() throws {
        let service = try Self.service(Self.canary)
        defer { service.shutdown() }
        #expect(Self.route(service, version: "challenger") == 3)
        #expect(Self.route(service, version: "3") == 3)
        #expect(Self.route(service, version: "2") == 2)
        let unknown = service.withVersion(model: "iris", version: "champion") { $0 }
        #expect(throws: ServingError.self) { try unknown.get() }
        if case .failure(let error) = unknown {
            #expect(error.code == .notFound)
            #expect(error.message == "model 'iris' has no tag 'champion' (its tags: challenger)")
        }
        // Metadata without a version describes the version with the largest share.
        #expect(try service.metadata(model: "iris").version == 1)
    }

    @Test func withoutWeightsTheNewestVersionTakesEveryCall() throws {
        let service = try Self.service(RoutingPolicy())
        defer { service.shutdown() }
        #expect(Set((0..<200).compactMap { _ in Self.route(service) }) == [3])
    }
}

/// Routing from a repository's config.yaml, changed by a reload.
@Suite(.serialized)
struct RepositoryRoutingTests {
    typealias Repository = RepositoryReloadTests.Repository

    static func writeConfiguration(_ yaml: String, in repository: Repository) throws {
        try yaml.write(to: repository.root.appendingPathComponent("iris/config.yaml"), atomically: true, encoding: .utf8)
    }

    static func versions(_ service: InferenceService, calls: Int = 400) -> Set<Int> {
        Set((0..<calls).compactMap { _ in service.withVersion(model: "iris", version: "") { try? $0.get().number } })
    }

    @Test func namedVersionsLoadWhateverTheVersionPolicyAndAReloadMovesTheWeights() throws {
        let repository = try Repository()
        defer { repository.remove() }
        try repository.put("iris", 2, from: "iris")
        try repository.put("iris", 3, from: "iris")
        // version_policy latest 1 alone would load only 3; the policy keeps 1 and 2 loaded.
        try Self.writeConfiguration("traffic: [{version: 1, percent: 90}, {version: 2, percent: 10}]", in: repository)
        let service = try RepositoryReloadTests.service(repository)
        defer { service.shutdown() }
        #expect(service.models.first?.versions.map(\.number) == [1, 2, 3])
        #expect(Self.versions(service) == [1, 2])
        let workers = service.workerThreads(model: "iris", version: 2).map(\.threadID)

        // Promote version 2: only config.yaml changes, so no worker restarts.
        try Self.writeConfiguration("traffic: [{version: 2, percent: 100}]\ntags: {previous: 1}", in: repository)
        let report = try service.reload()
        #expect(report.loaded.isEmpty && report.unloaded.isEmpty, "\(report)")
        #expect(Self.versions(service) == [2])
        #expect(service.withVersion(model: "iris", version: "previous") { try? $0.get().number } == 1)
        #expect(service.workerThreads(model: "iris", version: 2).map(\.threadID) == workers)
    }

    @Test func aPolicyNamingAMissingVersionFailsThatModelOnly() throws {
        let repository = try Repository()
        defer { repository.remove() }
        try repository.put("mlp", 1, from: "mlp")
        try Self.writeConfiguration("traffic: [{version: 1, percent: 50}, {version: 7, percent: 50}]", in: repository)
        let service = try RepositoryReloadTests.service(repository)
        defer { service.shutdown() }
        let iris = try #require(service.models.first { $0.name == "iris" })
        #expect(iris.problem?.hasSuffix("iris/config.yaml: 'traffic' names version 7, which does not exist (versions present: 1)") == true, "\(iris.problem ?? "")")
        #expect(!service.isReady(model: "iris"))
        #expect(service.isReady(model: "mlp"))
    }
}
