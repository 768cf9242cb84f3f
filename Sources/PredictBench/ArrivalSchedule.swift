import Foundation

/// The intended start times of open-loop calls, in nanoseconds from the start of the run.
/// Deterministic for a seed, so two runs offer the same load.
public struct ArrivalSchedule: Sendable {
    public let rate: Double
    public let arrivals: Arrivals
    private var random: SplitMix64
    private var index: UInt64 = 0
    private var poissonClock: Double = 0

    /// `rate` calls per second, > 0.
    public init(rate: Double, arrivals: Arrivals, seed: UInt64 = 1) {
        precondition(rate > 0 && rate.isFinite, "an arrival rate must be a positive number")
        self.rate = rate
        self.arrivals = arrivals
        self.random = SplitMix64(seed: seed)
    }

    /// The next call's intended start, in nanoseconds from the start of the run.
    public mutating func next() -> UInt64 {
        defer { index += 1 }
        switch arrivals {
        case .uniform:
            // From the index, not by summing gaps: no rounding drift over millions of calls.
            return UInt64((Double(index) * 1e9 / rate).rounded())
        case .poisson:
            // Inverse transform of a uniform draw in (0, 1]: gap = −ln(u) / rate.
            let u = 1 - Double(random.next() >> 11) * 0x1p-53
            poissonClock += -log(u) / rate * 1e9
            return UInt64(poissonClock.rounded())
        }
    }
}
