import Metrics
import Synchronization

/// Every champion/challenger pair's statistics, kept per (model, primary version, shadow
/// version), and the same counts as metrics.
public final class ShadowLedger: Sendable {
    struct Pair: Hashable, Sendable {
        var model: String
        var primary: Int
        var shadow: Int
    }

    private let table = Mutex<[Pair: ShadowStatistics]>([:])
    private let factory: any MetricsFactory

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// The pairs of `model`, by primary then shadow version.
    public func statistics(model: String) -> [ShadowStatistics] {
        table.withLock { $0.values.filter { $0.model == model } }
            .sorted { ($0.primaryVersion, $0.shadowVersion) < ($1.primaryVersion, $1.shadowVersion) }
    }

    func compared(_ pair: Pair, _ comparison: ShadowComparison, primaryNanoseconds: UInt64, shadowNanoseconds: UInt64) {
        update(pair) { $0.add(comparison, primaryNanoseconds: primaryNanoseconds, shadowNanoseconds: shadowNanoseconds) }
        count(pair, comparison.mismatch ? "mismatched" : "compared")
        if !comparison.mismatch, comparison.rows > 0 {
            Counter(label: "predict_shadow_rows_total", dimensions: dimensions(pair) + [("labels", "agree")], factory: factory)
                .increment(by: comparison.agreeingRows)
            Counter(label: "predict_shadow_rows_total", dimensions: dimensions(pair) + [("labels", "disagree")], factory: factory)
                .increment(by: comparison.rows - comparison.agreeingRows)
        }
    }

    func shed(_ pair: Pair) {
        update(pair) { $0.shed += 1 }
        count(pair, "shed")
    }

    func shadowFailed(_ pair: Pair) {
        update(pair) { $0.shadowErrors += 1 }
        count(pair, "shadow_error")
    }

    private func update(_ pair: Pair, _ change: (inout ShadowStatistics) -> Void) {
        table.withLock { table in
            var statistics = table[pair] ?? ShadowStatistics(model: pair.model, primaryVersion: pair.primary, shadowVersion: pair.shadow)
            change(&statistics)
            table[pair] = statistics
        }
    }

    private func count(_ pair: Pair, _ outcome: String) {
        Counter(label: "predict_shadow_calls_total", dimensions: dimensions(pair) + [("outcome", outcome)], factory: factory).increment()
    }

    private func dimensions(_ pair: Pair) -> [(String, String)] {
        [("model", pair.model), ("version", String(pair.primary)), ("shadow_version", String(pair.shadow))]
    }
}
