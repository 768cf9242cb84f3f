/// The live line a terminal shows each second: time, the last second's rate, its p50 and p99,
/// and its errors.
public enum ProgressLine {
    public static func text(elapsed: Double, total: Double, inWarmup: Bool, interval: CallTally, seconds: Double) -> String {
        let rate = seconds > 0 ? Double(interval.calls) / seconds : 0
        let phase = inWarmup ? " warm-up" : ""
        return "[\(Format.seconds(elapsed)) / \(Format.seconds(total))\(phase)] \(Format.count(rate)) calls/s"
            + "  p50 \(Format.latency(interval.microseconds(atPercentile: 50)))"
            + "  p99 \(Format.latency(interval.microseconds(atPercentile: 99)))"
            + "  errors \(Format.count(Double(interval.errors)))"
    }
}
