import Foundation
import PredictRuntime
import Synchronization
import Testing
@testable import PredictServing

/// The scheduler's promises: batching, deadlines, cancellation, backpressure, fault isolation,
/// and exactly one outcome per request, leaving the pool serving afterwards.
@Suite(.serialized) struct SchedulerTests {
    private func service(_ model: ProbeModel, _ config: ModelConfiguration) throws -> InferenceService {
        try InferenceService([ServedModelVersion(name: "probe", version: 1, model: model, configuration: config)], options: ServingOptions(allowCPUSharing: true))
    }

    @Test func concurrentSmallRequestsRunInFewerLargerBatches() throws {
        let model = ProbeModel(delayPerBatch: .milliseconds(2))
        let service = try service(model, configuration(maxBatch: 64, delayMicroseconds: 500))
        defer { service.shutdown() }
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 200) { i in
            service.submit(model: "probe", inputs: column([Float(i)]), completion: outcomes.record(i))
        }
        let results = outcomes.wait(for: 200)
        #expect(results.count == 200)
        for (i, outcome) in results { #expect(outcome.y == [Float(i) * 2]) }
        let batches = model.batchSizes
        #expect(batches.reduce(0, +) == 200)
        #expect(batches.count <= 50, "200 one-row requests ran in \(batches.count) batches")
        #expect(batches.max()! > 1)
        #expect(service.statistics(model: "probe", version: 1) == VersionStatistics(batches: batches.count, rows: 200, requests: 200))
    }

    @Test func batchingOffRunsEveryRequestAlone() throws {
        let model = ProbeModel(delayPerBatch: .milliseconds(1))
        let service = try service(model, configuration(maxBatch: 0))
        defer { service.shutdown() }
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 20) { i in
            service.submit(model: "probe", inputs: column([Float(i), 1]), completion: outcomes.record(i))
        }
        #expect(outcomes.wait(for: 20).count == 20)
        #expect(model.batchSizes == Array(repeating: 2, count: 20))
    }

    @Test func requestLargerThanABatchRunsAloneAndWhole() throws {
        let model = ProbeModel()
        let service = try service(model, configuration(maxBatch: 4))
        defer { service.shutdown() }
        let outcomes = Outcomes()
        service.submit(model: "probe", inputs: column((0..<10).map(Float.init)), completion: outcomes.record(0))
        #expect(outcomes.wait(for: 1)[0]?.y == (0..<10).map { Float($0) * 2 })
        #expect(model.batchSizes == [10])
    }

    @Test func deadlinePassedInTheQueueIsNeverComputed() throws {
        let model = ProbeModel()
        let service = try service(model, configuration())
        defer { service.shutdown() }
        let outcomes = Outcomes()
        model.gate.close()
        service.submit(model: "probe", inputs: column([1]), completion: outcomes.record(0))  // holds the worker
        Thread.sleep(forTimeInterval: 0.05)
        service.submit(model: "probe", inputs: column([7]), deadline: .after(milliseconds: 10), completion: outcomes.record(1))
        Thread.sleep(forTimeInterval: 0.05)
        model.gate.open()
        let results = outcomes.wait(for: 2)
        #expect(results[0]?.y == [2])
        #expect(results[1]?.code == .deadlineExceeded)
        #expect(!model.batchSizes.isEmpty && model.batchSizes.allSatisfy { $0 == 1 }, "the expired row was never computed")
        #expect(model.batchSizes.count == 1)
        let after = Outcomes()
        service.submit(model: "probe", inputs: column([3]), completion: after.record(0))
        #expect(after.wait(for: 1)[0]?.y == [6])
    }

    @Test func configuredTimeoutAppliesWhenTheCallGivesNone() throws {
        let model = ProbeModel()
        let service = try service(model, configuration(timeoutMilliseconds: 5))
        defer { service.shutdown() }
        let outcomes = Outcomes()
        model.gate.close()
        service.submit(model: "probe", inputs: column([1]), deadline: .after(.seconds(60)), completion: outcomes.record(0))
        Thread.sleep(forTimeInterval: 0.03)
        service.submit(model: "probe", inputs: column([2]), completion: outcomes.record(1))
        Thread.sleep(forTimeInterval: 0.03)
        model.gate.open()
        #expect(outcomes.wait(for: 2)[1]?.code == .deadlineExceeded)
    }

    @Test func cancelledQueuedRequestLeavesAtOnceWithCancelled() throws {
        let model = ProbeModel()
        let service = try service(model, configuration())
        defer { service.shutdown() }
        let outcomes = Outcomes()
        model.gate.close()
        service.submit(model: "probe", inputs: column([1]), completion: outcomes.record(0))
        Thread.sleep(forTimeInterval: 0.05)
        let queued = service.submit(model: "probe", inputs: column([5]), completion: outcomes.record(1))
        queued.cancel()
        #expect(outcomes.wait(for: 2, seconds: 0.5)[1]?.code == .cancelled, "answered before the worker is free")
        queued.cancel()  // a second cancel changes nothing
        model.gate.open()
        let results = outcomes.wait(for: 2)
        #expect(results[0]?.y == [2])
        #expect(model.batchSizes == [1])
    }

    @Test func fullQueueAnswersResourceExhaustedAtOnce() throws {
        let model = ProbeModel()
        let service = try service(model, configuration(maxQueue: 2))
        defer { service.shutdown() }
        let outcomes = Outcomes()
        model.gate.close()
        service.submit(model: "probe", inputs: column([0]), completion: outcomes.record(0))
        Thread.sleep(forTimeInterval: 0.05)  // taken by the worker: no longer queued
        service.submit(model: "probe", inputs: column([1]), completion: outcomes.record(1))
        service.submit(model: "probe", inputs: column([2]), completion: outcomes.record(2))
        service.submit(model: "probe", inputs: column([3]), completion: outcomes.record(3))
        #expect(outcomes[3]?.code == .resourceExhausted, "refused synchronously")
        model.gate.open()
        let results = outcomes.wait(for: 4)
        #expect(results[1]?.y == [2] && results[2]?.y == [4])
    }

    @Test func failingRequestFailsAloneAndTheWorkerGoesOn() throws {
        let model = ProbeModel(delayPerBatch: .milliseconds(2))
        let service = try service(model, configuration(maxBatch: 64, delayMicroseconds: 1000))
        defer { service.shutdown() }
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 40) { i in
            service.submit(model: "probe", inputs: column([i == 17 ? -1 : Float(i)]), completion: outcomes.record(i))
        }
        let results = outcomes.wait(for: 40)
        #expect(results[17]?.code == .internalError)
        if case .failure(let e)? = results[17] { #expect(e.message.contains("probe fault")) }
        for i in 0..<40 where i != 17 { #expect(results[i]?.y == [Float(i) * 2], "request \(i)") }
        let after = Outcomes()
        service.submit(model: "probe", inputs: column([4]), completion: after.record(0))
        #expect(after.wait(for: 1)[0]?.y == [8])
    }

    @Test func invalidInputIsRejectedBeforeQueueing() throws {
        let model = ProbeModel()
        let service = try service(model, configuration())
        defer { service.shutdown() }
        let outcomes = Outcomes()
        service.submit(model: "probe", inputs: ["x": Tensor(shape: [1, 2], floats: [1, 2])], completion: outcomes.record(0))
        #expect(outcomes[0]?.code == .invalidArgument)
        #expect(model.batchSizes.isEmpty)
    }

    @Test func unknownModelAndVersionAreNotFound() throws {
        let service = try service(ProbeModel(), configuration())
        defer { service.shutdown() }
        let outcomes = Outcomes()
        service.submit(model: "nope", inputs: column([1]), completion: outcomes.record(0))
        service.submit(model: "probe", version: "2", inputs: column([1]), completion: outcomes.record(1))
        service.submit(model: "probe", version: "latest", inputs: column([1]), completion: outcomes.record(2))
        service.submit(model: "probe", version: "1", inputs: column([1]), completion: outcomes.record(3))
        let results = outcomes.wait(for: 4)
        #expect(results[0]?.code == .notFound && results[1]?.code == .notFound && results[2]?.code == .notFound)
        #expect(results[3]?.y == [2])
    }

    @Test func shutdownFinishesQueuedRequestsAndRefusesNewOnes() throws {
        let model = ProbeModel()
        let service = try service(model, configuration(maxBatch: 0))
        let outcomes = Outcomes()
        model.gate.close()
        for i in 0..<5 { service.submit(model: "probe", inputs: column([Float(i)]), completion: outcomes.record(i)) }
        let stopper = Thread { service.shutdown() }
        stopper.start()
        Thread.sleep(forTimeInterval: 0.05)
        service.submit(model: "probe", inputs: column([9]), completion: outcomes.record(9))
        #expect(outcomes[9]?.code == .unavailable)
        model.gate.open()
        let results = outcomes.wait(for: 6)
        for i in 0..<5 { #expect(results[i]?.y == [Float(i) * 2]) }
    }

    @Test func asyncInferAndTaskCancellation() async throws {
        let model = ProbeModel()
        let service = try service(model, configuration())
        defer { service.shutdown() }
        let response = try await service.infer(model: "probe", inputs: column([21]))
        #expect(response["y"]?.floats == [42])
        #expect(response.version == 1)
        model.gate.close()
        let holder = Task { try await service.infer(model: "probe", inputs: column([1])) }
        try await Task.sleep(for: .milliseconds(50))
        let queued = Task { try await service.infer(model: "probe", inputs: column([2])) }
        try await Task.sleep(for: .milliseconds(50))
        queued.cancel()
        do {
            _ = try await queued.value
            Issue.record("a cancelled queued request returned a result")
        } catch let error as ServingError {
            #expect(error.code == .cancelled)
        }
        model.gate.open()
        #expect(try await holder.value["y"]?.floats == [2])
    }

    @Test func sinkReceivesEachBatchsOutcomesInOneDelivery() throws {
        final class Sink: OutcomeSink, Sendable {
            let deliveries = Mutex<[[UInt64]]>([])
            let outcomes = Outcomes()
            func deliver(_ items: [(tag: UInt64, outcome: InferenceOutcome)]) {
                deliveries.withLock { $0.append(items.map(\.tag)) }
                for (tag, outcome) in items { outcomes.record(Int(tag))(outcome) }
            }
        }
        let model = ProbeModel()
        let service = try service(model, configuration(maxBatch: 64))
        defer { service.shutdown() }
        let sink = Sink()
        model.gate.close()
        service.submit(model: "probe", inputs: column([100]), sink: sink, tag: 100)
        Thread.sleep(forTimeInterval: 0.05)
        for i in 0..<10 { service.submit(model: "probe", inputs: column([Float(i)]), sink: sink, tag: UInt64(i)) }
        model.gate.open()
        let results = sink.outcomes.wait(for: 11)
        for i in 0..<10 { #expect(results[i]?.y == [Float(i) * 2]) }
        #expect(sink.deliveries.withLock { $0 } == [[100], Array(0..<10)], "the ten queued requests ran as one batch, delivered at once in order")
    }
}
