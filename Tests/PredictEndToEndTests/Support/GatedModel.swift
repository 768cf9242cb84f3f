import Foundation
import PredictRuntime
import PredictServing
import Synchronization

/// y = x + 1 on FP32 [N, 1]; each batch waits while the gate is closed, so a test can hold
/// calls in flight (deadline, cancel, duplicate ids, drain).
final class GatedModel: ServableModel, Sendable {
    let inputs = [TensorInfo(name: "x", elementType: .float32, shape: [.dynamic(name: nil), .fixed(1)])]
    let outputs = [TensorInfo(name: "y", elementType: .float32, shape: [.dynamic(name: nil), .fixed(1)])]
    private let closed = Mutex(false)
    private let condition = NSCondition()
    /// Batches that reached the gate.
    let arrivals = Atomic<Int>(0)

    init(closed: Bool) { self.closed.withLock { $0 = closed } }

    func open() {
        condition.lock()
        closed.withLock { $0 = false }
        condition.broadcast()
        condition.unlock()
    }

    func orderedInputs(_ named: [String: Tensor]) throws -> [Tensor] {
        guard let x = named["x"], named.count == 1, x.elementType == .float32, x.rank == 2, x.shape[1] == 1 else {
            throw RuntimeError(.invalidInput, "expected input 'x' of FP32 [N, 1]")
        }
        return [x]
    }

    func run(_ inputs: [Tensor]) throws -> [Tensor] {
        arrivals.add(1, ordering: .relaxed)
        condition.lock()
        while closed.withLock({ $0 }) { condition.wait() }
        condition.unlock()
        return [Tensor(shape: inputs[0].shape, floats: inputs[0].floats!.map { $0 + 1 })]
    }

    /// Served as model "gated", version 1, one worker with no batching delay.
    var served: [ServedModelVersion] {
        [ServedModelVersion(name: "gated", version: 1, model: self)]
    }
}
