/// What a run measured.
public struct LoadOutcome: Sendable {
    /// The calls whose (intended) start fell in the measured window.
    public var tally: CallTally
    /// The measured window's length.
    public var seconds: Double
    /// Open loop only: how late the generator itself started calls, in microseconds (p99 and
    /// max). Already inside the latencies; large values mean the generator, not the server,
    /// could not keep the rate.
    public var generatorLagP99Microseconds: Double?
    public var generatorLagMaxMicroseconds: Double?

    public var callsPerSecond: Double { seconds > 0 ? Double(tally.calls) / seconds : 0 }
}
