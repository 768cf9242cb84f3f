import Glibc

/// The clock of deadlines, queue waits and `ConditionLock`'s timed waits: `CLOCK_MONOTONIC`,
/// which never jumps with the wall clock.
public enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point (boot), for measuring and comparing instants.
    @inlinable
    public static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}
