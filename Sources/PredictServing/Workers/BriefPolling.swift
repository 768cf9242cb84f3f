import CThreadAffinity
#if canImport(Glibc)
import Glibc
#endif

/// Waiting by polling for a few tens of microseconds before sleeping. Waking a thread whose
/// CPU has gone idle costs 25–50 µs on these machines, more than a whole small batch, so
/// threads that expect work soon (a worker after a batch, a chunk helper) look for it first.
enum BriefPolling {
    /// Polls `condition` for up to `nanoseconds`; whether it became true. Yields the CPU
    /// between rounds so another thread that wants it (an event loop, say) gets it first.
    @inline(__always)
    static func poll(forNanoseconds nanoseconds: UInt64, _ condition: () -> Bool) -> Bool {
        if condition() { return true }
        let end = MonotonicClock.nanoseconds() &+ nanoseconds
        while true {
            for _ in 0..<64 {
                if condition() { return true }
                predict_cpu_relax()
            }
            if MonotonicClock.nanoseconds() >= end { return condition() }
            sched_yield()
        }
    }
}
