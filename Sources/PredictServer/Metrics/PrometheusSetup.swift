import Metrics
import Prometheus

/// The swift-metrics factory `predict-server` bootstraps: Prometheus, with histogram buckets
/// that resolve the sub-millisecond latencies this server works in (the library's default
/// buckets start at 5 ms) and batch sizes in powers of two.
public enum PrometheusSetup {
    /// Seconds: 25 µs to 10 s.
    static let latencyBuckets: [Duration] = [
        .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]
    /// Rows per batch.
    static let batchBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096]

    public static func factory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = latencyBuckets
        factory.valueHistogramBuckets["predict_batch_rows"] = batchBuckets
        return factory
    }
}
