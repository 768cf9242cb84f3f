import Metrics
import Synchronization

/// The serving metrics of one model version, through swift-metrics (whatever backend the
/// process bootstraps: Prometheus in the server), plus in-process counters that tests,
/// benchmarks and metadata read directly.
final class VersionMetrics: Sendable {
    private let queueWaitTimer: Timer
    private let computeTimer: Timer
    private let batchRows: Recorder
    private let queueDepth: Gauge
    private let outcomes: [ServingError.Code?: Counter]

    private let batchCount = Atomic<Int>(0)
    private let rowCount = Atomic<Int>(0)
    private let requestCount = Atomic<Int>(0)

    init(model: String, version: Int, factory: any MetricsFactory) {
        let labels = [("model", model), ("version", String(version))]
        queueWaitTimer = Timer(label: "predict_queue_wait_seconds", dimensions: labels, factory: factory)
        computeTimer = Timer(label: "predict_compute_seconds", dimensions: labels, factory: factory)
        batchRows = Recorder(label: "predict_batch_rows", dimensions: labels, factory: factory)
        queueDepth = Gauge(label: "predict_queue_depth", dimensions: labels, factory: factory)
        var outcomes: [ServingError.Code?: Counter] = [nil: Counter(label: "predict_requests_total", dimensions: labels + [("status", "OK")], factory: factory)]
        for code in ServingError.Code.allCases {
            outcomes[code] = Counter(label: "predict_requests_total", dimensions: labels + [("status", code.name)], factory: factory)
        }
        self.outcomes = outcomes
    }

    func queueWait(nanoseconds: UInt64) { queueWaitTimer.recordNanoseconds(Int64(clamping: nanoseconds)) }

    func batch(rows: Int, computeNanoseconds: UInt64) {
        computeTimer.recordNanoseconds(Int64(clamping: computeNanoseconds))
        batchRows.record(rows)
        batchCount.add(1, ordering: .relaxed)
        rowCount.add(rows, ordering: .relaxed)
    }

    func outcome(_ outcome: InferenceOutcome) {
        requestCount.add(1, ordering: .relaxed)
        switch outcome {
        case .success: outcomes[nil]?.increment()
        case .failure(let error): outcomes[error.code]?.increment()
        }
    }

    func depth(_ value: Int) { queueDepth.record(value) }

    /// Batches run, rows computed and requests answered so far.
    var statistics: VersionStatistics {
        VersionStatistics(batches: batchCount.load(ordering: .relaxed), rows: rowCount.load(ordering: .relaxed),
                          requests: requestCount.load(ordering: .relaxed))
    }
}

/// Counters of one model version since start.
public struct VersionStatistics: Sendable, Equatable {
    public let batches: Int
    public let rows: Int
    /// Requests answered, whatever the status.
    public let requests: Int
}
