/// Where each worker runs: the CPUs of every worker of every model version, planned once at
/// start-up from the models' `instances` and `cpus_per_instance` and the CPUs the process may
/// use (`CPUSet.allowed()`).
///
/// Every worker gets `cpusPerInstance` CPUs of its own, drawn in order from `available`.
/// Asking for more CPUs than exist is an error naming the numbers, unless sharing is allowed;
/// then CPUs are dealt round-robin, so each is used by the same number of workers, give or
/// take one. A single worker needing more CPUs than exist is an error even with sharing.
public struct WorkerPlacement: Sendable, Equatable {
    /// What one model version asks for.
    public struct Demand: Sendable, Equatable {
        /// Names the model version in the plan and in messages, e.g. "iris/1".
        public let key: String
        /// Workers (the config's `instances`), at least 0.
        public let instances: Int
        /// CPUs per worker (the config's `cpus_per_instance`), at least 1.
        public let cpusPerInstance: Int

        public init(key: String, instances: Int, cpusPerInstance: Int) {
            self.key = key
            self.instances = instances
            self.cpusPerInstance = cpusPerInstance
        }
    }

    /// CPUs per worker, per demand key, in demand order. A worker's CPUs are in the order they
    /// were drawn: its first is where the worker thread runs, the rest are for `ChunkRunner`'s
    /// helpers.
    public let assignments: [String: [[Int]]]

    /// Whether some CPU was given to more than one worker.
    public let sharesCPUs: Bool

    public init(assignments: [String: [[Int]]], sharesCPUs: Bool) {
        self.assignments = assignments
        self.sharesCPUs = sharesCPUs
    }

    /// Plans the workers of `demands` on `available` (normally `CPUSet.allowed()`; duplicates
    /// are ignored). Throws UNAVAILABLE naming the numbers when the CPUs do not suffice, and
    /// INVALID_ARGUMENT for a demand that is malformed (negative instances, fewer than one CPU
    /// per instance, a repeated key).
    public static func plan(
        _ demands: [Demand],
        available: [Int],
        allowSharing: Bool
    ) throws(ServingError) -> WorkerPlacement {
        var seenCPUs = Set<Int>()
        let cpus = available.filter { seenCPUs.insert($0).inserted }
        var keys = Set<String>()
        var needed = 0
        var workers = 0
        for demand in demands {
            guard keys.insert(demand.key).inserted else {
                throw ServingError(.invalidArgument, "\(demand.key) is listed twice in the worker placement")
            }
            guard demand.instances >= 0 else {
                throw ServingError(.invalidArgument, "\(demand.key): instances must be at least 0, not \(demand.instances)")
            }
            guard demand.cpusPerInstance >= 1 else {
                throw ServingError(
                    .invalidArgument,
                    "\(demand.key): cpus_per_instance must be at least 1, not \(demand.cpusPerInstance)"
                )
            }
            if demand.instances > 0, demand.cpusPerInstance > cpus.count {
                throw ServingError(
                    .unavailable,
                    "\(demand.key) asks for \(demand.cpusPerInstance) CPUs per worker but this process may use "
                        + "\(cpusPhrase(cpus)); lower cpus_per_instance or run on more CPUs"
                )
            }
            let (product, overflow) = demand.instances.multipliedReportingOverflow(by: demand.cpusPerInstance)
            guard !overflow, needed <= Int.max - product else {
                throw ServingError(.invalidArgument, "\(demand.key): instances × cpus_per_instance is too large")
            }
            needed += product
            workers += demand.instances
        }
        if needed > cpus.count, !allowSharing {
            let itemised = demands.map { "\($0.key): \($0.instances)×\($0.cpusPerInstance)" }.joined(separator: ", ")
            throw ServingError(
                .unavailable,
                "the models ask for \(workers) workers × CPUs = \(needed) CPUs (\(itemised)) but this process may use "
                    + "\(cpusPhrase(cpus)); lower instances or cpus_per_instance, run on more CPUs, or allow CPU sharing"
            )
        }
        // One cursor dealing CPUs in order, wrapping when sharing: each CPU ends up in
        // needed / count or one more workers, and a worker's CPUs are consecutive, hence distinct.
        var assignments: [String: [[Int]]] = [:]
        var cursor = 0
        for demand in demands {
            var perWorker: [[Int]] = []
            perWorker.reserveCapacity(demand.instances)
            for _ in 0..<demand.instances {
                perWorker.append((0..<demand.cpusPerInstance).map { cpus[(cursor + $0) % cpus.count] })
                cursor = (cursor + demand.cpusPerInstance) % cpus.count
            }
            assignments[demand.key] = perWorker
        }
        return WorkerPlacement(assignments: assignments, sharesCPUs: needed > cpus.count)
    }

    private static func cpusPhrase(_ cpus: [Int]) -> String {
        cpus.isEmpty ? "no CPUs" : "\(cpus.count) (CPUs \(CPUSet.listDescription(cpus)))"
    }
}
