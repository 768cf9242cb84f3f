import CThreadAffinity
import Glibc
import Synchronization

/// Splits one batch across a worker's CPUs (`cpus_per_instance` > 1): runs chunk 0 on the
/// calling worker thread and chunk i on a helper thread pinned to `cpus[i]`, and returns when
/// all have finished. The helpers are started once and reused, so a batch costs a wake-up and
/// a wait, with no thread or allocation of its own.
///
/// The calling worker thread should be pinned to `cpus[0]` alone: pinned to all of `cpus` it
/// may sit on a helper's CPU while `cpus[0]` idles, and the two chunks then share one CPU.
public final class ChunkRunner: Sendable {
    /// The worker's name; helpers are named "<name>.<i>".
    public let name: String
    /// The worker's CPUs: the caller runs on the first, helper i - 1 on `cpus[i]`.
    public let cpus: [Int]
    private let helpers: [PinnedThread]
    private let shared: Shared

    /// Starts one helper per CPU after the first. Throws UNAVAILABLE if a helper cannot be
    /// started or pinned (helpers already started are stopped first).
    public init(name: String, cpus: [Int]) throws(ServingError) {
        guard !cpus.isEmpty else {
            throw ServingError(.unavailable, "cannot split batches of \(name): it has no CPUs to run on")
        }
        self.name = name
        self.cpus = cpus
        let shared = Shared()
        var helpers: [PinnedThread] = []
        for index in cpus.indices.dropFirst() {
            do {
                helpers.append(
                    try PinnedThread(name: "\(name).\(index)", cpus: [cpus[index]]) { shared.serve(chunk: index) }
                )
            } catch {
                shared.stop()
                helpers.forEach { $0.join() }
                throw error
            }
        }
        self.helpers = helpers
        self.shared = shared
    }

    deinit {
        shared.stop()
        helpers.forEach { $0.join() }
    }

    /// How many chunks each `run` makes: `cpus.count`.
    public var parallelism: Int { cpus.count }

    /// The kernel thread ids of the helpers, in CPU order (`cpus[1...]`).
    public var helperThreadIDs: [Int32] { helpers.map(\.threadID) }

    /// Runs `body(0)` … `body(parallelism - 1)` concurrently, chunk 0 on the calling thread,
    /// and returns when all have returned; their effects are visible to the caller then.
    /// Call it from one thread at a time. After `shutdown()` it runs every chunk on the caller.
    public func run(_ body: @escaping @Sendable (Int) -> Void) {
        guard !helpers.isEmpty, shared.publish(body, chunks: helpers.count) else {
            for chunk in 0..<parallelism { body(chunk) }
            return
        }
        body(0)
        shared.waitForChunks()
    }

    /// Stops the helpers and waits for them to exit; a `run` in progress finishes first.
    /// Idempotent.
    public func shutdown() {
        shared.stop()
        helpers.forEach { $0.join() }
    }

    /// The hand-off between the caller and the helpers. Each side spins briefly before it
    /// sleeps: waking a thread whose CPU has gone idle costs 30–60 µs on this machine (a VM), a
    /// batch's chunks finish at about the same time, and under load the next batch follows
    /// within microseconds. Sleeping goes through a lock and condition per side, so a signal
    /// never wakes the wrong side and no wake-up is lost: each side re-checks the atomic under
    /// its lock before waiting, and the other side changes it before taking that lock.
    ///
    /// `@unchecked Sendable`: `body` is written by the caller only while no helper reads it
    /// (before the release store of `generation` that hands it out, and after `remaining` has
    /// reached 0, which every helper's read happens before).
    private final class Shared: @unchecked Sendable {
        /// How long a helper polls for the next batch after finishing a chunk.
        static let helperSpinNanoseconds: UInt64 = 50_000
        /// How long the caller polls for the helpers after finishing chunk 0.
        static let callerSpinNanoseconds: UInt64 = 100_000

        private let generation = Atomic<UInt64>(0)
        private let remaining = Atomic<Int>(0)
        private let stopping = Atomic<Bool>(false)
        private var body: (@Sendable (Int) -> Void)?
        private let work = ConditionLock()
        private let done = ConditionLock()

        /// Hands `body` to the helpers; false (nothing handed out) once stopped.
        func publish(_ body: @escaping @Sendable (Int) -> Void, chunks: Int) -> Bool {
            // Under `work`, so a helper that has seen `stopping` and left never misses a batch.
            work.withLock {
                if stopping.load(ordering: .relaxed) { return false }
                self.body = body
                remaining.store(chunks, ordering: .relaxed)
                generation.add(1, ordering: .releasing)
                work.broadcast()
                return true
            }
        }

        func waitForChunks() {
            if !BriefPolling.poll(forNanoseconds: Self.callerSpinNanoseconds, { remaining.load(ordering: .acquiring) == 0 }) {
                done.withLock {
                    while remaining.load(ordering: .acquiring) > 0 { done.wait() }
                }
            }
            // Release what the batch's closure holds now rather than at the next batch.
            body = nil
        }

        /// A helper's loop: each published batch once, until stopped. Work already published
        /// is done even when stopping, so a `run` racing `shutdown` still returns.
        func serve(chunk: Int) {
            var seen: UInt64 = 0
            while true {
                if !BriefPolling.poll(forNanoseconds: Self.helperSpinNanoseconds, { hasNews(since: seen) }) {
                    work.withLock {
                        while !hasNews(since: seen) { work.wait() }
                    }
                }
                // Loaded after `stopping` was seen, so a batch published before the stop shows.
                let current = generation.load(ordering: .acquiring)
                guard current != seen else { return }
                seen = current
                body.unsafelyUnwrapped(chunk)
                if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                    done.withLock { done.signal() }
                }
            }
        }

        private func hasNews(since seen: UInt64) -> Bool {
            generation.load(ordering: .acquiring) != seen || stopping.load(ordering: .acquiring)
        }

        func stop() {
            work.withLock {
                stopping.store(true, ordering: .releasing)
                work.broadcast()
            }
        }
    }
}
