import Foundation
import PredictRuntime
import PredictServing
import Synchronization

/// A one-input model computing y = 2x on FP32 [N, 1], with hooks tests use to hold a worker,
/// count batches and fail on chosen rows.
final class ProbeModel: ServableModel, Sendable {
    let inputs = [TensorInfo(name: "x", elementType: .float32, shape: [.dynamic(name: nil), .fixed(1)])]
    let outputs = [TensorInfo(name: "y", elementType: .float32, shape: [.dynamic(name: nil), .fixed(1)])]
    /// Sizes of the batches run, in order.
    let batches = Mutex<[Int]>([])
    /// While closed, a batch waits here before computing.
    let gate = Gate()
    /// Sleeps this long per batch, so requests pile up behind it.
    let delayPerBatch: Duration

    init(delayPerBatch: Duration = .zero) { self.delayPerBatch = delayPerBatch }

    func orderedInputs(_ named: [String: Tensor]) throws -> [Tensor] {
        guard let x = named["x"], named.count == 1 else { throw RuntimeError(.invalidInput, "expected input 'x'") }
        guard x.elementType == .float32, x.rank == 2, x.shape[1] == 1, x.shape[0] > 0 else {
            throw RuntimeError(.invalidInput, "input 'x' must be FP32 [N, 1], got \(x.elementType.rawValue) \(x.shape)")
        }
        return [x]
    }

    /// Rows holding -1 make the whole batch fail, as a model fault would.
    func run(_ inputs: [Tensor]) throws -> [Tensor] {
        gate.pass()
        if delayPerBatch > .zero { Thread.sleep(forTimeInterval: Double(delayPerBatch.components.attoseconds) / 1e18 + Double(delayPerBatch.components.seconds)) }
        let x = inputs[0].floats!
        batches.withLock { $0.append(x.count) }
        if x.contains(-1) { throw RuntimeError(.internalFailure, "probe fault on a -1 row") }
        return [Tensor(shape: inputs[0].shape, floats: x.map { $0 * 2 })]
    }

    var batchSizes: [Int] { batches.withLock { $0 } }
}

/// A gate a worker waits at while it is closed.
final class Gate: Sendable {
    private let closed = Mutex(false)
    private let condition = NSCondition()

    func close() { closed.withLock { $0 = true } }

    func open() {
        condition.lock()
        closed.withLock { $0 = false }
        condition.broadcast()
        condition.unlock()
    }

    func pass() {
        condition.lock()
        while closed.withLock({ $0 }) { condition.wait() }
        condition.unlock()
    }
}

/// Collects outcomes delivered on worker threads and lets a test wait for them.
final class Outcomes: Sendable {
    private let results = Mutex<[Int: InferenceOutcome]>([:])
    private let condition = NSCondition()

    func record(_ key: Int) -> @Sendable (InferenceOutcome) -> Void {
        { outcome in
            self.condition.lock()
            self.results.withLock { results in
                precondition(results[key] == nil, "request \(key) got a second outcome")
                results[key] = outcome
            }
            self.condition.broadcast()
            self.condition.unlock()
        }
    }

    /// Waits until `count` outcomes arrived or `seconds` passed; returns them.
    func wait(for count: Int, seconds: Double = 30) -> [Int: InferenceOutcome] {
        let until = Date().addingTimeInterval(seconds)
        condition.lock()
        while results.withLock({ $0.count }) < count && condition.wait(until: until) {}
        condition.unlock()
        return results.withLock { $0 }
    }

    subscript(key: Int) -> InferenceOutcome? { results.withLock { $0[key] } }
}

func column(_ values: [Float]) -> [String: Tensor] { ["x": Tensor(shape: [values.count, 1], floats: values)] }

extension InferenceOutcome {
    var code: ServingError.Code? { if case .failure(let e) = self { e.code } else { nil } }
    var y: [Float]? { if case .success(let r) = self { r["y"]?.floats } else { nil } }
}

func configuration(maxBatch: Int = 64, delayMicroseconds: Int = 0, maxQueue: Int = 1024, instances: Int = 1, cpusPerInstance: Int = 1, timeoutMilliseconds: Int? = nil) -> ModelConfiguration {
    var c = ModelConfiguration()
    c.maxBatchSize = maxBatch
    c.maxQueueDelayMicroseconds = delayMicroseconds
    c.maxQueue = maxQueue
    c.instances = instances
    c.cpusPerInstance = cpusPerInstance
    c.timeoutMilliseconds = timeoutMilliseconds
    return c
}
