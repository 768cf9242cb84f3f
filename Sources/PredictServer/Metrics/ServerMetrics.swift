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

    /// A call's labels and status: which counter and histogram it goes to.
    struct CallKey: Hashable, Sendable {
        var labels: CallLabels
        var status: StatusCode
    }

    /// The counter and latency histogram of one `CallKey`; connections keep their own table of
    /// these, so recording a call takes no lock.
    struct CallMeter: Sendable {
        let calls: Counter
        let duration: Timer

        func record(nanoseconds: UInt64) {
            calls.increment()
            duration.recordNanoseconds(Int64(clamping: nanoseconds))
        }
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

    /// The meter of calls with `key`, made once per key in the process.
    func meter(_ key: CallKey) -> CallMeter {
        let counter = calls.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Counter(label: "predict_calls_total", dimensions: [
                ("method", key.labels.method), ("model", key.labels.model), ("version", key.labels.version), ("status", key.status.name),
            ], factory: factory)
            counters[key] = counter
            return counter
        }
        let timer = durations.withLock { timers in
            if let timer = timers[key.labels.method] { return timer }
            let timer = Timer(label: "predict_call_duration_seconds", dimensions: [("method", key.labels.method)], factory: factory)
            timers[key.labels.method] = timer
            return timer
        }
        return CallMeter(calls: counter, duration: timer)
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
