import Foundation
import PredictProtocol

/// A run's results in the form `--json` prints and the text report shows.
public struct BenchReport: Codable, Sendable, Equatable {
    public struct Load: Codable, Sendable, Equatable {
        /// `closed` or `open`.
        public var mode: String
        public var connections: Int
        public var concurrency: Int?
        public var rate: Double?
        public var arrivals: String?
        public var maxInFlight: Int?
    }

    public struct Latency: Codable, Sendable, Equatable {
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var p99_9: Double
        public var max: Double
        public var mean: Double
    }

    public var model: String
    public var version: String
    public var rowsPerCall: Int
    public var load: Load
    public var warmupSeconds: Double
    public var durationSeconds: Double
    public var calls: Int
    public var callsPerSecond: Double
    public var rowsPerSecond: Double
    /// Microseconds.
    public var latencyUs: Latency
    /// Status name (`OK`, `DEADLINE_EXCEEDED`, …) to count.
    public var statusCounts: [String: Int]
    public var errors: Int
    public var errorRate: Double
    /// Open loop only, microseconds.
    public var generatorLagP99Us: Double?
    public var generatorLagMaxUs: Double?

    public init(model: String, version: String, rowsPerCall: Int, connections: Int, plan: LoadPlan, outcome: LoadOutcome) {
        self.model = model
        self.version = version
        self.rowsPerCall = rowsPerCall
        switch plan.shape {
        case .closedLoop(let concurrency):
            load = Load(mode: "closed", connections: connections, concurrency: concurrency)
        case .openLoop(let rate, let arrivals, let maxInFlight):
            load = Load(mode: "open", connections: connections, rate: rate, arrivals: arrivals.rawValue, maxInFlight: maxInFlight)
        }
        warmupSeconds = Double(plan.warmup.nanoseconds) / 1e9
        durationSeconds = outcome.seconds
        let tally = outcome.tally
        calls = tally.calls
        callsPerSecond = outcome.callsPerSecond
        rowsPerSecond = outcome.callsPerSecond * Double(rowsPerCall)
        latencyUs = Latency(
            p50: tally.microseconds(atPercentile: 50), p90: tally.microseconds(atPercentile: 90),
            p99: tally.microseconds(atPercentile: 99), p99_9: tally.microseconds(atPercentile: 99.9),
            max: tally.maxMicroseconds, mean: tally.meanMicroseconds)
        statusCounts = Dictionary(uniqueKeysWithValues: tally.statusCounts.map { ($0.key.name, $0.value) })
        errors = tally.errors
        errorRate = tally.errorRate
        generatorLagP99Us = outcome.generatorLagP99Microseconds
        generatorLagMaxUs = outcome.generatorLagMaxMicroseconds
    }

    /// Pretty, sorted JSON with snake_case keys.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Encoding plain numbers and strings cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    /// The report for a person.
    public func text() -> String {
        let shape = switch load.mode {
        case "closed": "closed loop, \(load.concurrency ?? 0) calls in flight"
        default: "open loop, \(Format.count(load.rate ?? 0)) calls/s (\(load.arrivals ?? "")), at most \(load.maxInFlight ?? 0) in flight"
        }
        let target = version.isEmpty ? model : "\(model) version \(version)"
        var lines = [
            "\(target), \(rowsPerCall) row\(rowsPerCall == 1 ? "" : "s") per call, \(shape), \(load.connections) connection\(load.connections == 1 ? "" : "s")",
            "measured \(Format.seconds(durationSeconds)) after \(Format.seconds(warmupSeconds)) of warm-up",
            "",
            "calls       \(Format.count(Double(calls)))",
            "throughput  \(Format.count(callsPerSecond)) calls/s, \(Format.count(rowsPerSecond)) rows/s",
            "latency     p50 \(Format.latency(latencyUs.p50))  p90 \(Format.latency(latencyUs.p90))  p99 \(Format.latency(latencyUs.p99))  p99.9 \(Format.latency(latencyUs.p99_9))  max \(Format.latency(latencyUs.max))",
            "statuses    " + statusCounts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                .map { "\($0.key) \(Format.count(Double($0.value)))" }.joined(separator: ", "),
        ]
        if calls == 0 { lines[lines.count - 1] += "(no calls)" }
        if errors > 0 {
            lines.append("errors      \(Format.count(Double(errors))) (\(Format.percent(errorRate)))")
        }
        if let lag = generatorLagP99Us, let lagMax = generatorLagMaxUs {
            lines.append("generator   started calls late by p99 \(Format.latency(lag)), max \(Format.latency(lagMax)) (inside the latencies)")
        }
        return lines.joined(separator: "\n")
    }
}
