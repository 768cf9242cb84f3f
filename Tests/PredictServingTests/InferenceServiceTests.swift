import Foundation
import PredictRuntime
import Synchronization
import Testing
@testable import PredictServing

/// The serving core end to end on real models: placement read back from the kernel, many
/// concurrent requests each getting exactly its own rows, and broken models beside good ones.
@Suite(.serialized) struct InferenceServiceTests {
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/models")

    /// Cpus_allowed_list of a thread of this process, as the kernel reports it.
    private func allowedCPUs(ofThread tid: Int32) throws -> [Int] {
        try #require(Proc.cpusAllowed("/proc/self/task/\(tid)/status"))
    }

    @Test func workerThreadsArePinnedToThePlannedCPUs() throws {
        let cpus = try CPUSet.allowed()
        var forest = ModelConfiguration()
        forest.instances = cpus.count
        let model = try InferenceModel(contentsOf: Self.examples.appendingPathComponent("forest/1/model.onnx"))
        let service = try InferenceService([ServedModelVersion(name: "forest", version: 1, model: model, configuration: forest)])
        defer { service.shutdown() }
        let workers = service.workerThreads(model: "forest", version: 1)
        #expect(workers.count == cpus.count)
        #expect(Set(workers.map(\.cpus)) == Set(cpus.map { [$0] }), "each worker has a CPU of its own")
        for worker in workers {
            #expect(try allowedCPUs(ofThread: worker.threadID) == worker.cpus)
        }
    }

    @Test func askingForMoreCPUsThanExistFailsAtStartUpNamingTheNumbers() throws {
        let cpus = try CPUSet.allowed()
        var config = ModelConfiguration()
        config.instances = cpus.count + 1
        let model = try InferenceModel(contentsOf: Self.examples.appendingPathComponent("iris/1/model.onnx"))
        do {
            _ = try InferenceService([ServedModelVersion(name: "iris", version: 1, model: model, configuration: config)])
            Issue.record("an oversubscribed placement started")
        } catch {
            #expect(error.message.contains("\(cpus.count + 1)"))
            #expect(error.message.contains("\(cpus.count)"))
        }
    }

    @Test func tenThousandConcurrentRequestsEachGetTheirOwnRows() throws {
        let model = try InferenceModel(contentsOf: Self.examples.appendingPathComponent("forest/1/model.onnx"))
        var config = ModelConfiguration()
        config.instances = try CPUSet.allowed().count
        config.maxBatchSize = 64
        config.maxQueueDelayMicroseconds = 200
        config.maxQueue = 20_000
        let service = try InferenceService([ServedModelVersion(name: "forest", version: 1, model: model, configuration: config)])
        defer { service.shutdown() }
        let features = 30
        let inputName = model.inputs[0].name
        let count = 10_000
        var generator = SystemRandomNumberGenerator()
        let requests: [Tensor] = (0..<count).map { _ in
            let rows = Int.random(in: 1...8, using: &generator)
            return Tensor(shape: [rows, features], floats: (0..<(rows * features)).map { _ in Float.random(in: -3...3, using: &generator) })
        }
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 8) { lane in
            for i in stride(from: lane, to: count, by: 8) {
                service.submit(model: "forest", inputs: [inputName: requests[i]], completion: outcomes.record(i))
            }
        }
        let results = outcomes.wait(for: count, seconds: 120)
        #expect(results.count == count)
        var mismatches = 0
        for i in 0..<count {
            guard case .success(let response)? = results[i] else { mismatches += 1; continue }
            let alone = try model.run([inputName: requests[i]])
            for (name, tensor) in response.outputs where alone[name] != tensor { mismatches += 1 }
        }
        #expect(mismatches == 0)
        let stats = try #require(service.statistics(model: "forest", version: 1))
        #expect(stats.requests == count)
        #expect(stats.batches < count, "requests were batched together")
    }

    @Test func rowsSplitAcrossAWorkersCPUsGiveTheSameResults() throws {
        let cpus = try CPUSet.allowed()
        var config = ModelConfiguration()
        config.cpusPerInstance = cpus.count
        let model = try InferenceModel(contentsOf: Self.examples.appendingPathComponent("mlp/1/model.onnx"))
        let service = try InferenceService([ServedModelVersion(name: "mlp", version: 1, model: model, configuration: config)])
        defer { service.shutdown() }
        let worker = try #require(service.workerThreads(model: "mlp", version: 1).first)
        #expect(try allowedCPUs(ofThread: worker.threadID) == [cpus[0]], "the worker runs chunk 0 on its first CPU")
        let helpers = try service.chunkHelperThreadIDs(model: "mlp", version: 1).map { try allowedCPUs(ofThread: $0) }
        #expect(helpers.sorted { $0.first! < $1.first! } == cpus.dropFirst().map { [$0] }, "one helper on each other CPU")
        let rows = 200
        let x = Tensor(shape: [rows, 30], floats: (0..<(rows * 30)).map { Float(($0 * 7919) % 200) / 50 - 2 })
        let outcomes = Outcomes()
        service.submit(model: "mlp", inputs: [model.inputs[0].name: x], completion: outcomes.record(0))
        guard case .success(let response)? = outcomes.wait(for: 1)[0] else {
            Issue.record("the split batch failed")
            return
        }
        let alone = try model.run([model.inputs[0].name: x])
        for (name, tensor) in response.outputs { #expect(alone[name] == tensor, "output \(name)") }
    }

    @Test func brokenModelsAreUnavailableBesideGoodOnes() throws {
        let repo = FileManager.default.temporaryDirectory.appendingPathComponent("predict-service-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: repo) }
        let fm = FileManager.default
        for (name, version) in [("iris", 1), ("garbage", 1), ("badconfig", 1)] {
            try fm.createDirectory(at: repo.appendingPathComponent("\(name)/\(version)"), withIntermediateDirectories: true)
        }
        try fm.copyItem(at: Self.examples.appendingPathComponent("iris/1/model.onnx"), to: repo.appendingPathComponent("iris/1/model.onnx"))
        try fm.copyItem(at: Self.examples.appendingPathComponent("iris/1/model.onnx"), to: repo.appendingPathComponent("badconfig/1/model.onnx"))
        try Data("not a model".utf8).write(to: repo.appendingPathComponent("garbage/1/model.onnx"))
        try Data("max_batch_size: lots\n".utf8).write(to: repo.appendingPathComponent("badconfig/config.yaml"))

        let service = try InferenceService(repository: repo, options: ServingOptions(allowCPUSharing: true))
        defer { service.shutdown() }
        #expect(service.isReady(model: "iris"))
        #expect(!service.isReady(model: "garbage"))
        #expect(!service.isReady(model: "badconfig"))
        let outcomes = Outcomes()
        service.submit(model: "iris", inputs: ["X": Tensor(shape: [1, 4], floats: [5.1, 3.5, 1.4, 0.2])], completion: outcomes.record(0))
        service.submit(model: "garbage", inputs: [:], completion: outcomes.record(1))
        service.submit(model: "badconfig", inputs: [:], completion: outcomes.record(2))
        let results = outcomes.wait(for: 3)
        if case .success(let r)? = results[0] { #expect(r.outputs.count == 2) } else { Issue.record("iris failed: \(String(describing: results[0]))") }
        for broken in [1, 2] {
            guard case .failure(let error)? = results[broken] else { Issue.record("broken model answered"); continue }
            #expect(error.code == .unavailable)
        }
        if case .failure(let e)? = results[2] { #expect(e.message.contains("max_batch_size")) }
        let garbage = try #require(service.models.first { $0.name == "garbage" })
        #expect(garbage.versions.first?.unavailableReason?.contains("model.onnx") == true)
        let metadata = try service.metadata(model: "iris")
        #expect(metadata.inputs.map(\.name) == ["X"])
        #expect(metadata.platform == "onnx_onnxv1")
        #expect(metadata.readyVersions == [1])
    }
}
