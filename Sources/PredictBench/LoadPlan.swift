import PredictProtocol

/// One run: its load shape, a warm-up whose calls are not counted, then the measured window.
public struct LoadPlan: Sendable, Hashable {
    public var shape: LoadShape
    public var warmup: Duration
    public var duration: Duration

    public init(shape: LoadShape, warmup: Duration, duration: Duration) {
        self.shape = shape
        self.warmup = warmup
        self.duration = duration
    }
}

/// One call of a load: sends request number `index` of the prepared pool and, once it ends,
/// calls `done` with how (`.ok`, or the error's status code). `done` must be called exactly
/// once, and never before the call returns: the closed loop starts the next call from it.
public typealias LoadCall = @Sendable (_ index: Int, _ done: @escaping @Sendable (StatusCode) -> Void) -> Void

/// The window a run measures, in monotonic nanoseconds.
struct MeasuredWindow: Sendable {
    let start: UInt64
    let end: UInt64

    init(plan: LoadPlan, startingAt now: UInt64) {
        start = now + plan.warmup.nanoseconds
        end = start + plan.duration.nanoseconds
    }

    var seconds: Double { Double(end - start) / 1e9 }

    func contains(_ instant: UInt64) -> Bool { instant >= start && instant < end }
}

extension Duration {
    /// Whole nanoseconds, for the monotonic clock's arithmetic; negative durations are zero.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }
}
