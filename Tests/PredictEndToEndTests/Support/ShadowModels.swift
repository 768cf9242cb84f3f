import Foundation
import PredictRuntime
import PredictServing

/// Models for champion/challenger tests, on FP32 x [N, 1]:
/// `label` (INT64 [N]) = x > threshold ? 1 : 0 and `probabilities` (FP32 [N, 2]) =
/// [1 - p, p] with p = x / 2 + offset. Two of them with different thresholds disagree on
/// exactly the rows between the thresholds; their probabilities differ by the offsets' difference.
final class ThresholdClassifier: ServableModel, Sendable {
    let inputs = [TensorInfo(name: "x", elementType: .float32, shape: [.dynamic(name: nil), .fixed(1)])]
    let outputs = [
        TensorInfo(name: "label", elementType: .int64, shape: [.dynamic(name: nil)]),
        TensorInfo(name: "probabilities", elementType: .float32, shape: [.dynamic(name: nil), .fixed(2)]),
    ]
    let threshold: Float
    let offset: Float
    /// Each batch waits this long first (a slow challenger).
    let delay: Duration
    /// Each batch fails (a broken challenger).
    let fails: Bool

    init(threshold: Float, offset: Float = 0, delay: Duration = .zero, fails: Bool = false) {
        self.threshold = threshold
        self.offset = offset
        self.delay = delay
        self.fails = fails
    }

    func orderedInputs(_ named: [String: Tensor]) throws -> [Tensor] {
        guard let x = named["x"], named.count == 1, x.elementType == .float32, x.rank == 2, x.shape[1] == 1 else {
            throw RuntimeError(.invalidInput, "expected input 'x' of FP32 [N, 1]")
        }
        return [x]
    }

    func run(_ inputs: [Tensor]) throws -> [Tensor] {
        if delay > .zero { Thread.sleep(forTimeInterval: Double(delay.components.attoseconds) / 1e18 + Double(delay.components.seconds)) }
        if fails { throw RuntimeError(.internalFailure, "this challenger always fails") }
        let x = inputs[0].floats!
        let p = x.map { $0 / 2 + offset }
        return [
            Tensor(shape: [x.count], int64s: x.map { $0 > threshold ? 1 : 0 }),
            Tensor(shape: [x.count, 2], floats: p.flatMap { [1 - $0, $0] }),
        ]
    }
}
