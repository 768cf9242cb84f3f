import Glibc

/// A mutex with one condition variable, for threads that block rather than suspend: pinned
/// workers waiting for batches, the scheduler waking them, and `ChunkRunner`'s helpers.
///
/// Timed waits use `CLOCK_MONOTONIC` (see `MonotonicClock`), so a wall-clock step never cuts a
/// wait short or stretches it. Waits may wake spuriously: check the condition in a loop.
///
/// `@unchecked Sendable`: it exists to be shared between threads, and its only state is the
/// two pthread objects, used through pthread calls alone. They are heap-allocated because a
/// pthread mutex or condition must not move once initialised, which Swift storage may.
public final class ConditionLock: @unchecked Sendable {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline let condition: UnsafeMutablePointer<pthread_cond_t>

    /// A new lock, not held.
    public init() {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        var result = pthread_mutex_init(mutex, nil)
        precondition(result == 0, "pthread_mutex_init failed: \(result)")
        var attributes = pthread_condattr_t()
        result = pthread_condattr_init(&attributes)
        precondition(result == 0, "pthread_condattr_init failed: \(result)")
        result = pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        precondition(result == 0, "pthread_condattr_setclock failed: \(result)")
        result = pthread_cond_init(condition, &attributes)
        precondition(result == 0, "pthread_cond_init failed: \(result)")
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Takes the lock, blocking until it is free.
    @inlinable
    public func lock() {
        let result = pthread_mutex_lock(mutex)
        precondition(result == 0, "pthread_mutex_lock failed: \(result)")
    }

    /// Releases the lock, which the calling thread must hold.
    @inlinable
    public func unlock() {
        let result = pthread_mutex_unlock(mutex)
        precondition(result == 0, "pthread_mutex_unlock failed: \(result)")
    }

    /// Releases the lock (which the caller must hold), blocks until signalled, and takes the
    /// lock again before returning.
    @inlinable
    public func wait() {
        let result = pthread_cond_wait(condition, mutex)
        precondition(result == 0, "pthread_cond_wait failed: \(result)")
    }

    /// Like `wait()`, but gives up at `deadline`, a `MonotonicClock.nanoseconds()` instant.
    /// Returns false if the deadline passed (the lock is held again either way).
    public func wait(untilNanoseconds deadline: UInt64) -> Bool {
        var time = timespec(
            tv_sec: Int(clamping: deadline / 1_000_000_000),
            tv_nsec: Int(deadline % 1_000_000_000)
        )
        let result = pthread_cond_timedwait(condition, mutex, &time)
        if result == ETIMEDOUT { return false }
        precondition(result == 0, "pthread_cond_timedwait failed: \(result)")
        return true
    }

    /// Wakes one waiting thread, if any.
    @inlinable
    public func signal() {
        pthread_cond_signal(condition)
    }

    /// Wakes every waiting thread.
    @inlinable
    public func broadcast() {
        pthread_cond_broadcast(condition)
    }

    /// Runs `body` holding the lock.
    @inlinable
    public func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
