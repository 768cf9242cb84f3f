import Synchronization

/// The queue of one model version: bounded, FIFO, and the place where its workers assemble
/// batches. Every request leaves it exactly once: taken into a batch, cancelled, expired at
/// its deadline, or (after `stop`) drained by the workers.
final class RequestQueue: @unchecked Sendable {
    struct Limits: Sendable {
        /// Rows per batch; 0 turns batching off.
        var maxBatchRows: Int
        /// How long a worker holding a partial batch waits for more rows.
        var maxQueueDelayNanoseconds: UInt64
        /// Requests queued before new ones get RESOURCE_EXHAUSTED.
        var maxQueuedRequests: Int
    }

    let limits: Limits
    private let lock = ConditionLock()
    // All below guarded by `lock`. Cancelled and expired entries stay in `entries` (marked
    // finished) until a worker skips past them, so cancelling costs no search.
    private var entries: [InferenceRequest] = []
    private var head = 0
    private var live = 0 { didSet { pending.store(live, ordering: .relaxed) } }
    private var stopping = false { didSet { pendingStop.store(stopping, ordering: .relaxed) } }
    /// Lock-free mirrors of `live` and `stopping`, for an idle worker to poll before it sleeps.
    private let pending = Atomic<Int>(0)
    private let pendingStop = Atomic<Bool>(false)
    /// How long an idle worker looks for new work before sleeping on the condition.
    static let idlePollNanoseconds: UInt64 = 50_000
    private let observe: @Sendable (QueueEvent) -> Void

    /// What the queue reports for metrics.
    enum QueueEvent {
        case depth(Int)
        case expired(InferenceRequest)
        case cancelled(InferenceRequest)
    }

    init(limits: Limits, observe: @escaping @Sendable (QueueEvent) -> Void) {
        self.limits = limits
        self.observe = observe
    }

    /// Queues a request, or says why not (full, or shutting down).
    func enqueue(_ request: InferenceRequest) -> ServingError? {
        lock.lock()
        if stopping {
            lock.unlock()
            return ServingError(.unavailable, "the server is shutting down")
        }
        guard live < limits.maxQueuedRequests else {
            lock.unlock()
            return ServingError(.resourceExhausted, "the queue is full (\(limits.maxQueuedRequests) requests); retry later")
        }
        entries.append(request)
        live += 1
        let depth = live
        lock.signal()
        lock.unlock()
        observe(.depth(depth))
        return nil
    }

    func cancel(_ request: InferenceRequest) {
        lock.lock()
        guard request.state == .queued else {
            lock.unlock()
            return
        }
        request.state = .finished
        live -= 1
        let depth = live
        lock.unlock()
        observe(.depth(depth))
        observe(.cancelled(request))
        request.complete(.failure(ServingError(.cancelled, "the request was cancelled while queued")))
    }

    /// Stops accepting requests; workers drain what is queued, then `nextBatch` returns nil.
    func stop() {
        lock.lock()
        stopping = true
        lock.broadcast()
        lock.unlock()
    }

    /// Blocks until a batch is ready and returns it (its requests marked running), or nil once
    /// stopped and empty. A batch is the oldest live request plus the requests behind it while
    /// their rows fit `maxBatchRows`, waiting up to `maxQueueDelay` for more. A request larger
    /// than a batch runs alone. Expired requests found on the way are answered
    /// DEADLINE_EXCEEDED and never computed.
    func nextBatch() -> [InferenceRequest]? {
        var expired: [InferenceRequest] = []
        defer { finishExpired(expired) }
        lock.lock()
        var first: InferenceRequest? = nil
        var polled = false
        while true {
            first = popLive(&expired)
            if first != nil || stopping { break }
            if !expired.isEmpty {
                lock.unlock()
                finishExpired(expired)
                expired.removeAll()
                lock.lock()
                continue
            }
            if !polled {
                // Look for work briefly before sleeping: a wake-up costs more than the wait.
                polled = true
                lock.unlock()
                _ = BriefPolling.poll(forNanoseconds: Self.idlePollNanoseconds) {
                    pending.load(ordering: .relaxed) > 0 || pendingStop.load(ordering: .relaxed)
                }
                lock.lock()
                continue
            }
            lock.wait()
            polled = false
        }
        guard let first else {
            lock.unlock()
            return nil
        }
        var batch = [first]
        var rows = first.rows
        let maxRows = limits.maxBatchRows
        if maxRows > 0 && rows < maxRows {
            let gatherUntil = MonotonicClock.nanoseconds() &+ limits.maxQueueDelayNanoseconds
            while true {
                while let next = peekLive(&expired), rows + next.rows <= maxRows, next.stacks(with: first) {
                    _ = popLive(&expired)
                    batch.append(next)
                    rows += next.rows
                }
                let blocked = peekLive(&expired) != nil  // the next request does not fit
                if blocked || rows >= maxRows || stopping || limits.maxQueueDelayNanoseconds == 0 { break }
                if MonotonicClock.nanoseconds() >= gatherUntil { break }
                _ = lock.wait(untilNanoseconds: gatherUntil)
            }
        }
        for request in batch { request.state = .running }
        let depth = live
        lock.unlock()
        observe(.depth(depth))
        return batch
    }

    /// The oldest live request, removed from the queue; skips finished entries and moves
    /// expired ones to `expired`. Called under the lock.
    private func popLive(_ expired: inout [InferenceRequest]) -> InferenceRequest? {
        guard let request = peekLive(&expired) else { return nil }
        head += 1
        live -= 1
        compact()
        return request
    }

    /// The oldest live request, left in place. Called under the lock.
    private func peekLive(_ expired: inout [InferenceRequest]) -> InferenceRequest? {
        let now = MonotonicClock.nanoseconds()
        while head < entries.count {
            let request = entries[head]
            if request.state != .queued {
                head += 1
                continue
            }
            if let deadline = request.deadline, deadline.nanoseconds <= now {
                request.state = .finished
                head += 1
                live -= 1
                expired.append(request)
                continue
            }
            return request
        }
        compact()
        return nil
    }

    /// Drops consumed entries once they are half the storage, keeping pops O(1) amortized.
    private func compact() {
        if head > 64 && head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }

    private func finishExpired(_ requests: [InferenceRequest]) {
        for request in requests {
            observe(.expired(request))
            let waited = (MonotonicClock.nanoseconds() &- request.enqueuedAt) / 1_000_000
            request.complete(.failure(ServingError(.deadlineExceeded, "the deadline passed after \(waited) ms in the queue")))
        }
    }
}
