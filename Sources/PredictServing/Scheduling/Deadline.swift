/// A point on the monotonic clock by which a request must be answered.
public struct Deadline: Sendable, Hashable, Comparable {
    /// Monotonic nanoseconds (`MonotonicClock.nanoseconds()`).
    public let nanoseconds: UInt64

    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    /// The deadline `duration` from now.
    public static func after(_ duration: Duration) -> Deadline {
        let (seconds, attoseconds) = duration.components
        let nanos = max(0, seconds) * 1_000_000_000 + max(0, attoseconds) / 1_000_000_000
        return Deadline(nanoseconds: MonotonicClock.nanoseconds() &+ UInt64(nanos))
    }

    public static func after(milliseconds: Int) -> Deadline { after(.milliseconds(milliseconds)) }

    public var hasPassed: Bool { MonotonicClock.nanoseconds() >= nanoseconds }

    public static func < (a: Deadline, b: Deadline) -> Bool { a.nanoseconds < b.nanoseconds }
}
