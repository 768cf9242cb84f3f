import Glibc
import Synchronization
import Testing
@testable import PredictServing

/// Workers run where the plan puts them: the plan follows the CPUs the process may use, and
/// the kernel's own record of each thread's affinity (/proc) matches it.
@Suite struct WorkerPinningTests {
    // MARK: The CPUs the process may use

    @Test func allowedCPUsAreTheProcessAffinityTheKernelReports() throws {
        let fromKernel = try #require(Proc.cpusAllowed("/proc/self/status"))
        #expect(try CPUSet.allowed() == fromKernel)
        #expect(!fromKernel.isEmpty)
    }

    @Test func allowedCPUsAreTheWholeProcessSetEvenFromAPinnedThread() throws {
        let all = try CPUSet.allowed()
        let seen = Mutex<[Int]?>(nil)
        let thread = try PinnedThread(name: "allowed-check", cpus: [all[0]]) {
            let cpus = try? CPUSet.allowed()
            seen.withLock { $0 = cpus }
        }
        thread.join()
        #expect(seen.withLock { $0 } == all)
    }

    @Test func cpuListsAreDescribedAsTheKernelWritesThem() {
        #expect(CPUSet.listDescription([0, 1]) == "0-1")
        #expect(CPUSet.listDescription([3, 0, 1]) == "0-1,3")
        #expect(CPUSet.listDescription([0, 2, 4, 5, 6]) == "0,2,4-6")
        #expect(CPUSet.listDescription([]) == "")
        #expect(Proc.parseCPUList("0-1,3") == [0, 1, 3])
        #expect(Proc.parseCPUList("5") == [5])
    }

    // MARK: Placement

    @Test func eachWorkerGetsCPUsOfItsOwnDrawnInDemandOrder() throws {
        let plan = try WorkerPlacement.plan(
            [.init(key: "iris/1", instances: 2, cpusPerInstance: 1),
             .init(key: "forest/1", instances: 1, cpusPerInstance: 2),
             .init(key: "mlp/3", instances: 1, cpusPerInstance: 1)],
            available: [0, 1, 2, 3, 4, 5],
            allowSharing: false
        )
        #expect(plan.assignments == ["iris/1": [[0], [1]], "forest/1": [[2, 3]], "mlp/3": [[4]]])
        #expect(!plan.sharesCPUs)
    }

    @Test func placementDrawsFromTheAllowedCPUsNotFromZero() throws {
        let plan = try WorkerPlacement.plan(
            [.init(key: "iris/1", instances: 2, cpusPerInstance: 1)], available: [2, 5, 7], allowSharing: false)
        #expect(plan.assignments == ["iris/1": [[2], [5]]])
    }

    @Test func sharingIsNotUsedWhenTheCPUsSuffice() throws {
        let plan = try WorkerPlacement.plan(
            [.init(key: "iris/1", instances: 2, cpusPerInstance: 1)], available: [0, 1], allowSharing: true)
        #expect(plan.assignments == ["iris/1": [[0], [1]]])
        #expect(!plan.sharesCPUs)
    }

    @Test func askingForMoreCPUsThanExistIsAnErrorNamingTheNumbers() {
        let demands: [WorkerPlacement.Demand] = [
            .init(key: "iris/1", instances: 1, cpusPerInstance: 1),
            .init(key: "forest/1", instances: 1, cpusPerInstance: 1),
            .init(key: "mlp/1", instances: 1, cpusPerInstance: 1),
        ]
        #expect(throws: ServingError(
            .unavailable,
            "the models ask for 3 workers × CPUs = 3 CPUs (iris/1: 1×1, forest/1: 1×1, mlp/1: 1×1) but this process "
                + "may use 2 (CPUs 0-1); lower instances or cpus_per_instance, run on more CPUs, or allow CPU sharing"
        )) {
            try WorkerPlacement.plan(demands, available: [0, 1], allowSharing: false)
        }
        #expect(throws: ServingError(
            .unavailable,
            "the models ask for 2 workers × CPUs = 4 CPUs (forest/1: 2×2) but this process may use 3 (CPUs 0-1,3); "
                + "lower instances or cpus_per_instance, run on more CPUs, or allow CPU sharing"
        )) {
            try WorkerPlacement.plan(
                [.init(key: "forest/1", instances: 2, cpusPerInstance: 2)], available: [0, 1, 3], allowSharing: false)
        }
    }

    @Test func sharingDealsCPUsRoundRobin() throws {
        let plan = try WorkerPlacement.plan(
            [.init(key: "iris/1", instances: 1, cpusPerInstance: 1),
             .init(key: "forest/1", instances: 1, cpusPerInstance: 1),
             .init(key: "mlp/1", instances: 1, cpusPerInstance: 1)],
            available: [0, 1],
            allowSharing: true
        )
        #expect(plan.assignments == ["iris/1": [[0]], "forest/1": [[1]], "mlp/1": [[0]]])
        #expect(plan.sharesCPUs)
    }

    @Test(arguments: [
        ([(2, 2), (3, 1)], 3),
        ([(5, 1), (1, 3), (2, 2)], 4),
        ([(7, 2)], 2),
        ([(1, 1), (4, 3), (3, 1)], 5),
    ])
    func sharedCPUsAreSpreadAsEvenlyAsPossible(_ shape: [(instances: Int, cpus: Int)], available: Int) throws {
        let demands = shape.enumerated().map {
            WorkerPlacement.Demand(key: "m\($0.offset)/1", instances: $0.element.instances, cpusPerInstance: $0.element.cpus)
        }
        let cpus = Array(0..<available)
        let plan = try WorkerPlacement.plan(demands, available: cpus, allowSharing: true)
        var uses = [Int](repeating: 0, count: available)
        for demand in demands {
            let workers = try #require(plan.assignments[demand.key])
            #expect(workers.count == demand.instances)
            for worker in workers {
                #expect(worker.count == demand.cpusPerInstance)
                #expect(Set(worker).count == worker.count, "a worker's CPUs are distinct")
                for cpu in worker { uses[cpu] += 1 }
            }
        }
        #expect(uses.max()! - uses.min()! <= 1, "uses per CPU: \(uses)")
    }

    @Test func aWorkerNeedingMoreCPUsThanExistFailsEvenWithSharing() {
        for allowSharing in [false, true] {
            #expect(throws: ServingError(
                .unavailable,
                "forest/1 asks for 3 CPUs per worker but this process may use 2 (CPUs 0-1); "
                    + "lower cpus_per_instance or run on more CPUs"
            )) {
                try WorkerPlacement.plan(
                    [.init(key: "forest/1", instances: 1, cpusPerInstance: 3)], available: [0, 1], allowSharing: allowSharing)
            }
        }
    }

    @Test func noDemandsPlanNoWorkers() throws {
        #expect(try WorkerPlacement.plan([], available: [0, 1], allowSharing: false).assignments.isEmpty)
        #expect(try WorkerPlacement.plan([], available: [], allowSharing: false).assignments.isEmpty)
        let idle = try WorkerPlacement.plan(
            [.init(key: "iris/1", instances: 0, cpusPerInstance: 4)], available: [0], allowSharing: false)
        #expect(idle.assignments == ["iris/1": []])
    }

    @Test func malformedDemandsAreInvalidArguments() {
        let cases: [[WorkerPlacement.Demand]] = [
            [.init(key: "iris/1", instances: 1, cpusPerInstance: 0)],
            [.init(key: "iris/1", instances: -1, cpusPerInstance: 1)],
            [.init(key: "iris/1", instances: 1, cpusPerInstance: 1), .init(key: "iris/1", instances: 1, cpusPerInstance: 1)],
            [.init(key: "iris/1", instances: Int.max, cpusPerInstance: 1), .init(key: "iris/2", instances: 1, cpusPerInstance: 1)],
        ]
        for demands in cases {
            #expect { try WorkerPlacement.plan(demands, available: [0, 1], allowSharing: true) } throws: {
                ($0 as? ServingError)?.code == .invalidArgument
            }
        }
    }

    // MARK: Pinned threads, as the kernel sees them

    @Test func aThreadPinnedToEachAllowedCPURunsOnlyThere() throws {
        for cpu in try CPUSet.allowed() {
            let probe = try AffinityProbe(name: "pin-\(cpu)", cpus: [cpu])
            #expect(probe.kernelAffinity == [cpu])
            #expect(probe.bodyThreadID == probe.thread.threadID)
            #expect(probe.thread.cpus == [cpu])
        }
    }

    @Test func aThreadPinnedToAllAllowedCPUsMayRunOnAll() throws {
        let all = try CPUSet.allowed()
        let probe = try AffinityProbe(name: "pin-all", cpus: all)
        #expect(probe.kernelAffinity == all)
        #expect(probe.bodyThreadID == probe.thread.threadID)
    }

    @Test func threadsAreNamedForPsAndTop() throws {
        let probe = try AffinityProbe(name: "forest/12#3", cpus: [CPUSet.allowed()[0]])
        #expect(probe.kernelName == "forest/12#3\n")
        let long = try AffinityProbe(name: "a-very-long-model-name/1#0", cpus: [CPUSet.allowed()[0]])
        #expect(long.kernelName == "a-very-long-mod\n")
    }

    @Test func pinningToACPUThatDoesNotExistFailsWithoutRunningTheBody() throws {
        // Not merely outside the process's affinity: `taskset` does not stop a thread from
        // widening its own, only a cpuset does.
        let outside = 100_000
        let ran = Mutex(false)
        #expect { try PinnedThread(name: "outside", cpus: [outside]) { ran.withLock { $0 = true } } } throws: {
            guard let error = $0 as? ServingError else { return false }
            return error.code == .unavailable && error.message.hasPrefix("cannot pin thread outside to CPUs \(outside): ")
        }
        #expect { try PinnedThread(name: "nowhere", cpus: []) {} } throws: { ($0 as? ServingError)?.code == .unavailable }
        #expect(!ran.withLock { $0 })
    }

    @Test func joinWaitsForTheBodyAndMayBeRepeated() throws {
        let finished = Mutex(false)
        let thread = try PinnedThread(name: "join", cpus: [CPUSet.allowed()[0]]) {
            usleep(20_000)
            finished.withLock { $0 = true }
        }
        thread.join()
        #expect(finished.withLock { $0 })
        thread.join()
    }

    // MARK: Chunks of one batch

    @Test func eachChunkRunsExactlyOnceOnItsOwnThreadInEveryCall() throws {
        let cpus = try CPUSet.allowed()
        try expectEveryChunkRunsOnceOnItsThread(cpus: cpus, calls: 10_000)
    }

    @Test func chunksMayShareACPU() throws {
        // Exercises several helpers on any machine, one CPU included.
        let cpu = try CPUSet.allowed()[0]
        try expectEveryChunkRunsOnceOnItsThread(cpus: [cpu, cpu, cpu], calls: 2_000)
    }

    @Test func helpersArePinnedToTheWorkersOtherCPUs() throws {
        let cpus = try CPUSet.allowed()
        let runner = try ChunkRunner(name: "helpers", cpus: cpus)
        defer { runner.shutdown() }
        #expect(runner.parallelism == cpus.count)
        #expect(runner.helperThreadIDs.count == cpus.count - 1)
        for (tid, cpu) in zip(runner.helperThreadIDs, cpus.dropFirst()) {
            #expect(Proc.cpusAllowed("/proc/self/task/\(tid)/status") == [cpu])
        }
    }

    @Test func shutdownJoinsTheHelpersAndLaterRunsStayOnTheCaller() throws {
        let cpu = try CPUSet.allowed()[0]
        let runner = try ChunkRunner(name: "shutdown", cpus: [cpu, cpu])
        let tids = runner.helperThreadIDs
        #expect(tids.allSatisfy { Proc.read("/proc/self/task/\($0)/status") != nil })
        runner.shutdown()
        runner.shutdown()
        // pthread_join returns once the thread has exited; its /proc entry goes a moment later.
        let gone = MonotonicClock.nanoseconds() + 2_000_000_000
        while tids.contains(where: { Proc.read("/proc/self/task/\($0)/status") != nil }), MonotonicClock.nanoseconds() < gone {
            usleep(1_000)
        }
        #expect(tids.allSatisfy { Proc.read("/proc/self/task/\($0)/status") == nil })
        let caller = Proc.currentThreadID()
        let ranOn = Mutex<[Int: Int32]>([:])
        runner.run { chunk in
            let tid = Proc.currentThreadID()
            ranOn.withLock { $0[chunk] = tid }
        }
        #expect(ranOn.withLock { $0 } == [0: caller, 1: caller])
    }

    // MARK: ConditionLock

    @Test func aTimedWaitReturnsFalseAtItsDeadline() {
        let lock = ConditionLock()
        let start = MonotonicClock.nanoseconds()
        let signalled = lock.withLock { lock.wait(untilNanoseconds: start + 20_000_000) }
        #expect(!signalled)
        #expect(MonotonicClock.nanoseconds() - start >= 20_000_000)
        #expect(lock.withLock { lock.wait(untilNanoseconds: 0) } == false, "a deadline already passed")
    }

    @Test func aTimedWaitWakesOnSignal() throws {
        let state = WaitState()
        let start = MonotonicClock.nanoseconds()
        let waiter = try PinnedThread(name: "waiter", cpus: CPUSet.allowed()) {
            state.lock.withLock {
                state.waiting = true
                while !state.go {
                    if !state.lock.wait(untilNanoseconds: start + 10_000_000_000) {
                        state.timedOut = true
                        return
                    }
                }
            }
        }
        while !state.lock.withLock({ state.waiting }) { usleep(100) }
        // Holding the lock after `waiting` became true means the waiter is inside wait.
        state.lock.withLock {
            state.go = true
            state.lock.signal()
        }
        waiter.join()
        #expect(!state.lock.withLock { state.timedOut })
        #expect(MonotonicClock.nanoseconds() - start < 5_000_000_000)
    }

    // MARK: Helpers

    private func expectEveryChunkRunsOnceOnItsThread(cpus: [Int], calls: Int) throws {
        let runner = try ChunkRunner(name: "chunks", cpus: cpus)
        defer { runner.shutdown() }
        let record = ChunkRecord(chunks: runner.parallelism)
        let failures = Mutex(0)
        let callerID = Mutex<Int32>(0)
        // As a worker uses it: called from a thread pinned to the worker's first CPU.
        let worker = try PinnedThread(name: "chunk-caller", cpus: [cpus[0]]) {
            callerID.withLock { $0 = Proc.currentThreadID() }
            for call in 1...calls {
                runner.run { chunk in record.ran(chunk) }
                if !record.everyChunkRan(times: call) { failures.withLock { $0 += 1 } }
            }
        }
        worker.join()
        #expect(failures.withLock { $0 } == 0)
        #expect(record.threadIDs == [callerID.withLock { $0 }] + runner.helperThreadIDs)
    }
}

/// What a pinned thread saw of itself, read while it is still alive.
private struct AffinityProbe {
    let thread: PinnedThread
    let kernelAffinity: [Int]?
    let kernelName: String?
    let bodyThreadID: Int32

    init(name: String, cpus: [Int]) throws {
        let gate = WaitState()
        let seenID = Mutex<Int32>(0)
        thread = try PinnedThread(name: name, cpus: cpus) {
            seenID.withLock { $0 = Proc.currentThreadID() }
            gate.lock.withLock { while !gate.go { gate.lock.wait() } }
        }
        kernelAffinity = Proc.cpusAllowed("/proc/self/task/\(thread.threadID)/status")
        kernelName = Proc.read("/proc/self/task/\(thread.threadID)/comm")
        gate.lock.withLock {
            gate.go = true
            gate.lock.broadcast()
        }
        thread.join()
        bodyThreadID = seenID.withLock { $0 }
    }
}

/// `@unchecked Sendable`: every field is used under `lock`.
private final class WaitState: @unchecked Sendable {
    let lock = ConditionLock()
    var waiting = false
    var go = false
    var timedOut = false
}

/// Per chunk, how often it ran and on which thread. `@unchecked Sendable`: each chunk's slots
/// are written only by the thread running that chunk, and read after `ChunkRunner.run` returns.
private final class ChunkRecord: @unchecked Sendable {
    private let counts: UnsafeMutablePointer<Int>
    private let tids: UnsafeMutablePointer<Int32>
    private let chunks: Int

    init(chunks: Int) {
        self.chunks = chunks
        counts = .allocate(capacity: chunks)
        counts.initialize(repeating: 0, count: chunks)
        tids = .allocate(capacity: chunks)
        tids.initialize(repeating: 0, count: chunks)
    }

    deinit {
        counts.deallocate()
        tids.deallocate()
    }

    func ran(_ chunk: Int) {
        counts[chunk] += 1
        let tid = Proc.currentThreadID()
        if tids[chunk] == 0 { tids[chunk] = tid } else if tids[chunk] != tid { tids[chunk] = -1 }
    }

    func everyChunkRan(times: Int) -> Bool { (0..<chunks).allSatisfy { counts[$0] == times } }

    /// The thread each chunk ran on, -1 where it ran on more than one.
    var threadIDs: [Int32] { (0..<chunks).map { tids[$0] } }
}
