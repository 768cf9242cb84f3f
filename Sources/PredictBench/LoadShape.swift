/// How calls are offered to the server.
public enum LoadShape: Sendable, Hashable {
    /// `concurrency` calls kept in flight: each answer sends the next call. Throughput is what
    /// the server gives; latency is each call's own round trip.
    case closedLoop(concurrency: Int)
    /// Calls started on a schedule of `rate` calls/s whatever the server does, at most
    /// `maxInFlight` outstanding. Latency runs from each call's intended start, so time a call
    /// spent waiting behind a stalled server (or a late generator) is counted, not hidden.
    case openLoop(rate: Double, arrivals: Arrivals, maxInFlight: Int)
}

/// When open-loop calls are due.
public enum Arrivals: String, Sendable, Hashable, CaseIterable {
    /// Evenly spaced, 1/rate apart.
    case uniform
    /// A Poisson process: independent exponential gaps with mean 1/rate, as many independent
    /// callers make.
    case poisson
}
