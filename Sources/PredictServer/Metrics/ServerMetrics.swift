import Metrics
import PredictProtocol
import Synchronization

/// The server's own metrics, through swift-metrics (Prometheus in `predict-server`): calls by
/// method, model, version and status with their latency, open connections, authentication
/// failures by reason and TLS handshake failures. Queue wait, compute time, batch sizes and
/// queue depth are the serving core's (`VersionMetrics`).
///
/// Label values come from a bounded set: a model the server does not serve is labelled "" so
/// that callers naming random models cannot grow the metric set.
public final class ServerMetrics: Sendable {
    /// One call's labels.
    struct CallLabels: Hashable, Sendable {
        var method: String
        var model: String
        var version: String
    }

    private struct CallKey: Hashable {
        var labels: CallLabels
        var status: StatusCode
    }

    private let factory: any MetricsFactory
    private let calls = Mutex<[CallKey: Counter]>([:])
    private let durations = Mutex<[String: Timer]>([:])
    private let openConnections: Meter
    private let acceptedConnections: Counter
    private let authenticationFailures = Mutex<[String: Counter]>([:])
    private let handshakeFailures = Mutex<[String: Counter]>([:])

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        openConnections = Meter(label: "predict_connections", factory: factory)
        acceptedConnections = Counter(label: "predict_connections_accepted_total", factory: factory)
    }

    func callFinished(_ labels: CallLabels, status: StatusCode, nanoseconds: UInt64) {
        let key = CallKey(labels: labels, status: status)
        let counter = calls.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: "predict_calls_total", dimensions: [
                ("method", labels.method), ("model", labels.model), ("version", labels.version), ("status", status.name),
            ], factory: factory)
            counters[key] = counter
            return counter
        }
        counter.increment()
        let timer = durations.withLock { timers in
            if let timer = timers[labels.method] { return timer }
            let timer = Timer(label: "predict_call_duration_seconds", dimensions: [("method", labels.method)], factory: factory)
            timers[labels.method] = timer
            return timer
        }
        timer.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    func connectionOpened() {
        openConnections.increment()
        acceptedConnections.increment()
    }

    func connectionClosed() { openConnections.decrement() }

    /// `reason`: `missing_token`, `permission_denied`, or the failed check of a rejected token
    /// (`expired`, `bad_signature`, `audience_mismatch`, ...).
    func authenticationFailed(reason: String) {
        Self.counter(in: authenticationFailures, "predict_authentication_failures_total", reason, factory).increment()
    }

    func tlsHandshakeFailed(reason: String) {
        Self.counter(in: handshakeFailures, "predict_tls_handshake_failures_total", reason, factory).increment()
    }

    private static func counter(in table: borrowing Mutex<[String: Counter]>, _ label: String, _ reason: String, _ factory: any MetricsFactory) -> Counter {
        table.withLock { counters in
            if let counter = counters[reason] { return counter }
            let counter = Counter(label: label, dimensions: [("reason", reason)], factory: factory)
            counters[reason] = counter
            return counter
        }
    }
}
