import Metrics
import Synchronization
import PredictRuntime

/// One served model version: its queue and its pinned worker threads, each taking batches
/// from the queue and running them until the queue is stopped and drained.
final class VersionScheduler: Sendable {
    let name: String
    let version: Int
    let model: any ServableModel
    let configuration: ModelConfiguration
    let metrics: VersionMetrics
    /// The CPUs of each worker, as placed.
    let cpus: [[Int]]
    /// Unique in the process, unlike the object's address, so caches keyed by it never mistake
    /// a replacement for the version it replaced.
    let id: UInt64 = VersionScheduler.nextID.add(1, ordering: .relaxed).newValue
    private static let nextID = Atomic<UInt64>(0)
    private let queue: RequestQueue
    private let workers: [PinnedThread]
    private let chunkRunners: [ChunkRunner]

    /// Starts `cpus.count` workers, worker i pinned to `cpus[i]`.
    init(name: String, version: Int, model: any ServableModel, configuration: ModelConfiguration, cpus: [[Int]], metricsFactory: any MetricsFactory) throws(ServingError) {
        self.name = name
        self.version = version
        self.model = model
        self.configuration = configuration
        self.cpus = cpus
        let metrics = VersionMetrics(model: name, version: version, factory: metricsFactory)
        self.metrics = metrics
        // Rows of several requests can only be stacked when every input's first dimension is
        // dynamic (a batch dimension); a model declaring [1, F] runs each request alone.
        let stackable = model.inputs.allSatisfy { input in
            if case .dynamic? = input.shape?.first { true } else { false }
        }
        let queue = RequestQueue(
            limits: .init(
                maxBatchRows: stackable ? configuration.maxBatchSize : 0,
                maxQueueDelayNanoseconds: UInt64(configuration.maxQueueDelayMicroseconds) * 1000,
                maxQueuedRequests: configuration.maxQueue),
            observe: { event in
                switch event {
                case .depth(let d): metrics.depth(d)
                case .expired: metrics.outcome(.failure(ServingError(.deadlineExceeded, "")))
                case .cancelled: metrics.outcome(.failure(ServingError(.cancelled, "")))
                }
            })
        self.queue = queue
        var runners: [ChunkRunner] = []
        var workers: [PinnedThread] = []
        do throws(ServingError) {
            for (i, workerCPUs) in cpus.enumerated() {
                let runner = workerCPUs.count > 1 ? try ChunkRunner(name: "\(name)/\(version)#\(i)", cpus: workerCPUs) : nil
                if let runner { runners.append(runner) }
                let busy = Counter(label: "predict_worker_busy_nanoseconds_total", dimensions: [("model", name), ("version", String(version)), ("worker", String(i))], factory: metricsFactory)
                let executor = BatchExecutor(model: model, modelName: name, version: version, chunks: runner, busy: busy)
                // With helpers, the worker runs chunk 0 on its first CPU and each helper owns
                // one of the others; pinned to all, it could land on a helper's CPU.
                let ownCPUs = runner == nil ? workerCPUs : [workerCPUs[0]]
                workers.append(try PinnedThread(name: "\(name)/\(version)#\(i)", cpus: ownCPUs) {
                    while let batch = queue.nextBatch() { executor.execute(batch, metrics: metrics) }
                })
            }
        } catch {
            queue.stop()
            workers.forEach { $0.join() }
            runners.forEach { $0.shutdown() }
            throw error
        }
        self.workers = workers
        self.chunkRunners = runners
    }

    /// Validates and queues a request; `completion` receives its one outcome (at once when it
    /// is rejected).
    func submit(_ named: [String: Tensor], deadline: Deadline?, completion: Completion) -> Submission {
        let inputs: [Tensor]
        do {
            inputs = try model.orderedInputs(named)
        } catch {
            return reject(ServingError.fromBatchFailure(error), completion)
        }
        let effectiveDeadline = deadline ?? configuration.timeoutMilliseconds.map { Deadline.after(milliseconds: $0) }
        let request = InferenceRequest(inputs: inputs, rows: inputs.first?.shape.first ?? 1, deadline: effectiveDeadline, completion: completion)
        if let refusal = queue.enqueue(request) { return reject(refusal, completion) }
        return Submission(request: request, queue: queue)
    }

    private func reject(_ error: ServingError, _ completion: Completion) -> Submission {
        metrics.outcome(.failure(error))
        completion.deliver(.failure(error))
        return Submission(request: nil, queue: nil)
    }

    /// The worker threads and the CPUs each is pinned to (helpers of a worker included).
    var workerThreads: [(threadID: Int32, cpus: [Int])] {
        workers.map { ($0.threadID, $0.cpus) }
    }

    var chunkHelperThreadIDs: [Int32] { chunkRunners.flatMap(\.helperThreadIDs) }

    /// Stops taking requests, lets the workers finish what is queued, and joins them.
    func stop() {
        queue.stop()
        workers.forEach { $0.join() }
        chunkRunners.forEach { $0.shutdown() }
    }
}
