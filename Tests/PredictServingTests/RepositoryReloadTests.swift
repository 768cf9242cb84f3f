import Foundation
import PredictRuntime
import Synchronization
import Testing
@testable import PredictServing

/// `InferenceService.reload()`: new versions load before old ones unload, unchanged versions
/// keep their workers, and a broken deploy never takes a working model down.
@Suite(.serialized)
struct RepositoryReloadTests {
    static let examples = InferenceServiceTests.examples
    static let setosa = ["X": Tensor(shape: [1, 4], floats: [5.1, 3.5, 1.4, 0.2])]

    /// A temporary repository with iris version 1.
    struct Repository {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("predict-reload-\(UUID().uuidString)")

        init() throws { try put("iris", 1, from: "iris") }

        /// Copies example `source`'s model into `model`/`version`, in one rename.
        func put(_ model: String, _ version: Int, from source: String) throws {
            try put(model, version, bytes: Data(contentsOf: RepositoryReloadTests.examples.appendingPathComponent("\(source)/1/model.onnx")))
        }

        func put(_ model: String, _ version: Int, bytes: Data) throws {
            let staging = root.appendingPathComponent("\(model)/.staging")
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
            try bytes.write(to: staging.appendingPathComponent("model.onnx"))
            let target = root.appendingPathComponent("\(model)/\(version)")
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.moveItem(at: staging, to: target)
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    static func service(_ repository: Repository) throws -> InferenceService {
        try InferenceService(repository: repository.root, options: ServingOptions(allowCPUSharing: true, cpus: [0]))
    }

    @Test func aNewVersionLoadsThenTheOldOneUnloads() throws {
        let repository = try Repository()
        defer { repository.remove() }
        let service = try Self.service(repository)
        defer { service.shutdown() }
        #expect(try service.metadata(model: "iris").version == 1)
        try repository.put("iris", 2, from: "iris")
        let report = try service.reload()
        #expect(report.loaded == ["iris/2"])
        #expect(report.unloaded == ["iris/1"])
        #expect(report.failed.isEmpty)
        #expect(try service.metadata(model: "iris").version == 2)
        #expect(service.models.first?.versions.map(\.number) == [2])
        #expect(service.generation == 1)
    }

    @Test func anUnchangedVersionKeepsItsWorkers() throws {
        let repository = try Repository()
        defer { repository.remove() }
        let service = try Self.service(repository)
        defer { service.shutdown() }
        let before = service.workerThreads(model: "iris", version: 1).map(\.threadID)
        try repository.put("mlp", 1, from: "mlp")
        let report = try service.reload()
        #expect(report.loaded == ["mlp/1"])
        #expect(report.unloaded.isEmpty)
        #expect(service.workerThreads(model: "iris", version: 1).map(\.threadID) == before)
        #expect(service.isReady(model: "mlp"))
    }

    @Test func aChangedModelFileRestartsThatVersion() throws {
        let repository = try Repository()
        defer { repository.remove() }
        let service = try Self.service(repository)
        defer { service.shutdown() }
        let before = service.workerThreads(model: "iris", version: 1).map(\.threadID)
        // identity has iris's input (X [N, 4]) but one output, Y.
        try repository.put("iris", 1, from: "identity")
        let report = try service.reload()
        #expect(report.loaded == ["iris/1"])
        #expect(report.unloaded == ["iris/1"])
        #expect(service.workerThreads(model: "iris", version: 1).map(\.threadID) != before)
        #expect(try service.metadata(model: "iris").outputs.map(\.name) == ["Y"])
    }

    @Test func aBrokenNewVersionLeavesTheServingOneInPlace() throws {
        let repository = try Repository()
        defer { repository.remove() }
        let service = try Self.service(repository)
        defer { service.shutdown() }
        try repository.put("iris", 2, bytes: Data("not an onnx model".utf8))
        let report = try service.reload()
        #expect(report.loaded.isEmpty)
        #expect(report.unloaded.isEmpty)
        #expect(report.failed.contains { $0.hasPrefix("iris: still serving version 1 because") }, "\(report.failed)")
        #expect(try service.metadata(model: "iris").version == 1)
        let status = try #require(service.models.first { $0.name == "iris" })
        #expect(status.versions.map(\.number) == [1, 2])
        #expect(status.versions.map(\.isReady) == [true, false])
    }

    @Test func aRemovedModelIsUnloaded() throws {
        let repository = try Repository()
        defer { repository.remove() }
        try repository.put("mlp", 1, from: "mlp")
        let service = try Self.service(repository)
        defer { service.shutdown() }
        try FileManager.default.removeItem(at: repository.root.appendingPathComponent("mlp"))
        let report = try service.reload()
        #expect(report.unloaded == ["mlp/1"])
        #expect(!service.isKnown(model: "mlp"))
    }

    @Test func callsDuringReloadsAllSucceed() async throws {
        let repository = try Repository()
        defer { repository.remove() }
        let service = try Self.service(repository)
        defer { service.shutdown() }
        let tally = Tally()
        let callers = (0..<4).map { _ in
            Task.detached {
                while !tally.stop.load(ordering: .relaxed) {
                    do {
                        _ = try await service.infer(model: "iris", inputs: Self.setosa)
                        tally.answered.add(1, ordering: .relaxed)
                    } catch {
                        tally.failures.withLock { $0.append("\(error)") }
                    }
                }
            }
        }
        for version in 2...6 {
            try repository.put("iris", version, from: "iris")
            let report = try service.reload()
            #expect(report.loaded == ["iris/\(version)"])
            // Calls keep flowing between reloads, however loaded the machine.
            let before = tally.answered.load(ordering: .relaxed)
            let deadline = ContinuousClock.now + .seconds(10)
            while tally.answered.load(ordering: .relaxed) < before + 10, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        tally.stop.store(true, ordering: .relaxed)
        for caller in callers { await caller.value }
        #expect(tally.failures.withLock { $0 }.isEmpty, "\(tally.failures.withLock { $0.prefix(3) })")
        #expect(tally.answered.load(ordering: .relaxed) >= 50)
        #expect(try service.metadata(model: "iris").version == 6)
    }

    final class Tally: Sendable {
        let failures = Mutex<[String]>([])
        let answered = Atomic<Int>(0)
        let stop = Atomic<Bool>(false)
    }

    @Test func aServiceGivenItsModelsDirectlyHasNothingToReload() throws {
        let model = try InferenceModel(contentsOf: Self.examples.appendingPathComponent("iris/1/model.onnx"))
        let service = try InferenceService([ServedModelVersion(name: "iris", version: 1, model: model)], options: ServingOptions(cpus: [0]))
        defer { service.shutdown() }
        #expect(throws: ServingError.self) { try service.reload() }
    }
}
