import CThreadAffinity
import Glibc

/// A dedicated OS thread, outside the Swift concurrency pool, pinned to `cpus` before it runs
/// `body` once. Inference workers and `ChunkRunner`'s helpers run on these, so a batch is
/// computed on the CPUs the plan gave it and never competes with the pool's threads for them.
public final class PinnedThread: Sendable {
    /// The thread's name; the kernel keeps its first 15 bytes (`ps -L`, `top -H`, /proc comm).
    public let name: String
    /// The CPUs the thread is pinned to.
    public let cpus: [Int]
    private let handle: pthread_t
    private let start: Start
    private let joinLock = ConditionLock()
    /// Whether `pthread_join` has been called, which must happen at most once; read and written
    /// under `joinLock` (or by `init` and `deinit`, which no other thread overlaps).
    private nonisolated(unsafe) var joined = false

    /// Starts the thread and returns once it has pinned itself. Throws UNAVAILABLE, without
    /// running `body`, if the thread cannot be started or pinned (no CPUs, or CPUs that do not
    /// exist or lie outside the process's cpuset).
    public init(name: String, cpus: [Int], body: @escaping @Sendable () -> Void) throws(ServingError) {
        self.name = name
        self.cpus = cpus
        guard !cpus.isEmpty else {
            throw ServingError(.unavailable, "cannot start thread \(name): it has no CPUs to run on")
        }
        let start = Start(name: name, cpus: cpus, body: body)
        let context = Unmanaged.passRetained(start).toOpaque()
        var handle = pthread_t()
        let created = pthread_create(&handle, nil, { context in
            let start = Unmanaged<PinnedThread.Start>.fromOpaque(context!).takeRetainedValue()
            start.run()
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<Start>.fromOpaque(context).release()
            throw ServingError(.unavailable, "cannot start thread \(name): \(CPUSet.errorDescription(Int(created)))")
        }
        self.handle = handle
        self.start = start
        let pinError = start.waitUntilPinned()
        guard pinError == 0 else {
            pthread_join(handle, nil)
            joined = true
            let allowed = (try? CPUSet.allowed()).map { " (this process may use CPUs \(CPUSet.listDescription($0)))" } ?? ""
            throw ServingError(
                .unavailable,
                "cannot pin thread \(name) to CPUs \(CPUSet.listDescription(cpus)): "
                    + "\(CPUSet.errorDescription(Int(pinError)))\(allowed)"
            )
        }
    }

    deinit {
        // Never joined: let the thread finish on its own and free its resources then.
        if !joined { pthread_detach(handle) }
    }

    /// The kernel's id of the thread (what /proc/self/task/<tid> is named).
    public var threadID: Int32 { start.threadID }

    /// Waits for `body` to return. Any number of threads may call it, any number of times.
    /// Calling it from the thread itself deadlocks.
    public func join() {
        joinLock.withLock {
            if !joined {
                pthread_join(handle, nil)
                joined = true
            }
        }
    }

    /// What the new thread needs, and how it reports back that it has pinned itself.
    /// `@unchecked Sendable`: `threadID` and `pinError` are written once by the new thread
    /// before it signals `lock`, and read by others only after waiting on `lock`.
    fileprivate final class Start: @unchecked Sendable {
        let name: String
        let cpus: [Int]
        let body: @Sendable () -> Void
        let lock = ConditionLock()
        var pinned = false
        var threadID: Int32 = 0
        var pinError: Int32 = 0

        init(name: String, cpus: [Int], body: @escaping @Sendable () -> Void) {
            self.name = name
            self.cpus = cpus
            self.body = body
        }

        func run() {
            setName()
            let cpus32 = cpus.map { Int32(truncatingIfNeeded: $0) }
            let error = cpus.contains { $0 < 0 || $0 > Int(Int32.max) }
                ? EINVAL
                : cpus32.withUnsafeBufferPointer { predict_pin_current_thread($0.baseAddress, Int32($0.count)) }
            lock.withLock {
                threadID = predict_current_thread_id()
                pinError = error
                pinned = true
                lock.signal()
            }
            if error == 0 { body() }
        }

        func waitUntilPinned() -> Int32 {
            lock.withLock {
                while !pinned { lock.wait() }
                return pinError
            }
        }

        private func setName() {
            // The kernel's limit is 16 bytes with the terminating NUL; cut on a character boundary.
            var bytes: [UInt8] = []
            for character in name {
                let utf8 = Array(String(character).utf8)
                if bytes.count + utf8.count > 15 { break }
                bytes += utf8
            }
            bytes.append(0)
            bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { _ = predict_set_current_thread_name($0.baseAddress) }
            }
        }
    }
}
