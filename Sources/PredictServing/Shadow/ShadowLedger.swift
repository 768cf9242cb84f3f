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

    /// A pair's statistics and its counters, made once.
    private struct Entry {
        var statistics: ShadowStatistics
        let calls: [String: Counter]
        let agreeing: Counter
        let disagreeing: Counter
    }

    private let table = Mutex<[Pair: Entry]>([:])
    private let factory: any MetricsFactory

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// The pairs of `model`, by primary then shadow version.
    public func statistics(model: String) -> [ShadowStatistics] {
        table.withLock { $0.values.map(\.statistics).filter { $0.model == model } }
            .sorted { ($0.primaryVersion, $0.shadowVersion) < ($1.primaryVersion, $1.shadowVersion) }
    }

    func compared(_ pair: Pair, _ comparison: ShadowComparison, primaryNanoseconds: UInt64, shadowNanoseconds: UInt64) {
        let entry = update(pair) { $0.add(comparison, primaryNanoseconds: primaryNanoseconds, shadowNanoseconds: shadowNanoseconds) }
        entry.calls[comparison.mismatch ? "mismatched" : "compared"]?.increment()
        if !comparison.mismatch, comparison.rows > 0 {
            entry.agreeing.increment(by: comparison.agreeingRows)
            entry.disagreeing.increment(by: comparison.rows - comparison.agreeingRows)
        }
    }

    func shed(_ pair: Pair) {
        update(pair) { $0.shed += 1 }.calls["shed"]?.increment()
    }

    func shadowFailed(_ pair: Pair) {
        update(pair) { $0.shadowErrors += 1 }.calls["shadow_error"]?.increment()
    }

    @discardableResult
    private func update(_ pair: Pair, _ change: (inout ShadowStatistics) -> Void) -> Entry {
        table.withLock { table in
            var entry = table[pair] ?? makeEntry(pair)
            change(&entry.statistics)
            table[pair] = entry
            return entry
        }
    }

    private func makeEntry(_ pair: Pair) -> Entry {
        let dimensions = [("model", pair.model), ("version", String(pair.primary)), ("shadow_version", String(pair.shadow))]
        var calls: [String: Counter] = [:]
        for outcome in ["compared", "mismatched", "shed", "shadow_error"] {
            calls[outcome] = Counter(label: "predict_shadow_calls_total", dimensions: dimensions + [("outcome", outcome)], factory: factory)
        }
        return Entry(
            statistics: ShadowStatistics(model: pair.model, primaryVersion: pair.primary, shadowVersion: pair.shadow),
            calls: calls,
            agreeing: Counter(label: "predict_shadow_rows_total", dimensions: dimensions + [("labels", "agree")], factory: factory),
            disagreeing: Counter(label: "predict_shadow_rows_total", dimensions: dimensions + [("labels", "disagree")], factory: factory))
    }
}
