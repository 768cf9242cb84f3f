import Histogram
import PredictProtocol

/// What a set of calls came to: their latencies in an HdrHistogram (nanoseconds, three
/// significant digits) and how many ended with each status.
public struct CallTally: Sendable {
    /// Latencies above this (ten minutes) are recorded as this.
    static let highestLatency: UInt64 = 600_000_000_000

    public private(set) var latencies = Histogram<UInt64>(highestTrackableValue: highestLatency, numberOfSignificantValueDigits: .three)
    public private(set) var statusCounts: [StatusCode: Int] = [:]

    public init() {}

    public var calls: Int { Int(latencies.totalCount) }
    public var errors: Int { calls - (statusCounts[.ok] ?? 0) }
    public var errorRate: Double { calls == 0 ? 0 : Double(errors) / Double(calls) }

    mutating func record(latencyNanoseconds: UInt64, status: StatusCode) {
        _ = latencies.record(min(latencyNanoseconds, Self.highestLatency))
        statusCounts[status, default: 0] += 1
    }

    mutating func add(_ other: CallTally) {
        latencies.add(other.latencies)
        statusCounts.merge(other.statusCounts, uniquingKeysWith: +)
    }

    /// The latency at `percentile` (0–100), in microseconds.
    public func microseconds(atPercentile percentile: Double) -> Double {
        calls == 0 ? 0 : Double(latencies.valueAtPercentile(percentile)) / 1000
    }

    /// The longest latency, in microseconds.
    public var maxMicroseconds: Double {
        calls == 0 ? 0 : Double(latencies.max) / 1000
    }

    public var meanMicroseconds: Double {
        calls == 0 ? 0 : latencies.mean / 1000
    }
}
