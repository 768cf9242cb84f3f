import Foundation
import Metrics
import PredictRuntime

/// The serving core: every loaded model version with its queue and pinned workers, behind a
/// small API the server calls. No networking: the server only puts a socket in front of it.
///
/// `submit` is the primary entry point: it never blocks, and its completion runs exactly once,
/// on a worker thread (or at once, on the caller's thread, when the request is refused).
/// `infer` wraps it for async callers.
public final class InferenceService: Sendable {
    /// Every model the service knows, serving or not, by name.
    public let models: [ModelStatus]
    /// Warnings from reading the repository (ignored directories, missing listed versions).
    public let warnings: [String]
    /// Each model's `invokers` from its config.yaml, for the server's authorization; models
    /// without the key are absent.
    public let invokersByModel: [String: [String]]
    private let schedulers: [String: [Int: VersionScheduler]]
    /// The newest serving version of each model and every status by name, resolved once so a
    /// submit costs one dictionary lookup.
    private let newest: [String: VersionScheduler]
    private let statusByName: [String: ModelStatus]

    /// Loads every model in a repository directory (REPO/MODEL/VERSION/model.onnx) and starts
    /// its workers. A broken model is reported UNAVAILABLE with its reason and never stops the
    /// others; an unreadable repository or an impossible CPU placement throws.
    public convenience init(repository directory: URL, options: ServingOptions = ServingOptions()) throws(ServingError) {
        let scan: RepositoryScan
        do {
            scan = try ModelRepository.scan(directory)
        } catch {
            throw ServingError(.unavailable, error.description)
        }
        var served: [ServedModelVersion] = []
        var statuses: [ModelStatus] = []
        var invokers: [String: [String]] = [:]
        for entry in scan.models {
            if let listed = entry.configuration?.invokers, !listed.isEmpty { invokers[entry.name] = listed }
            var versions: [ModelStatus.Version] = []
            for v in entry.versions {
                switch v.state {
                case .loaded(let model):
                    served.append(ServedModelVersion(name: entry.name, version: v.number, model: model, configuration: entry.configuration ?? ModelConfiguration()))
                    versions.append(.init(number: v.number, unavailableReason: nil))
                case .failed(let reason):
                    versions.append(.init(number: v.number, unavailableReason: reason))
                }
            }
            statuses.append(ModelStatus(name: entry.name, problem: entry.problem, versions: versions))
        }
        try self.init(served, statuses: statuses, warnings: scan.warnings, invokers: invokers, options: options)
    }

    /// Serves the given model versions.
    public convenience init(_ versions: [ServedModelVersion], options: ServingOptions = ServingOptions()) throws(ServingError) {
        let grouped = Dictionary(grouping: versions, by: \.name)
        let statuses = grouped.keys.sorted().map { name in
            ModelStatus(name: name, problem: nil, versions: grouped[name]!.map { .init(number: $0.version, unavailableReason: nil) }.sorted { $0.number < $1.number })
        }
        let invokers = Dictionary(versions.filter { !$0.configuration.invokers.isEmpty }.map { ($0.name, $0.configuration.invokers) }, uniquingKeysWith: { first, _ in first })
        try self.init(versions, statuses: statuses, warnings: [], invokers: invokers, options: options)
    }

    private init(_ versions: [ServedModelVersion], statuses: [ModelStatus], warnings: [String], invokers: [String: [String]], options: ServingOptions) throws(ServingError) {
        let demands = versions.map {
            WorkerPlacement.Demand(key: "\($0.name)/\($0.version)", instances: $0.configuration.instances, cpusPerInstance: $0.configuration.cpusPerInstance)
        }
        let available: [Int]
        if let cpus = options.cpus { available = cpus } else { available = try CPUSet.allowed() }
        let placement = try WorkerPlacement.plan(demands, available: available, allowSharing: options.allowCPUSharing)
        var schedulers: [String: [Int: VersionScheduler]] = [:]
        do throws(ServingError) {
            for v in versions {
                let cpus = placement.assignments["\(v.name)/\(v.version)"] ?? []
                schedulers[v.name, default: [:]][v.version] = try VersionScheduler(
                    name: v.name, version: v.version, model: v.model, configuration: v.configuration, cpus: cpus,
                    metricsFactory: options.metricsFactory ?? MetricsSystem.factory)
            }
        } catch {
            schedulers.values.flatMap(\.values).forEach { $0.stop() }
            throw error
        }
        self.schedulers = schedulers
        self.newest = schedulers.compactMapValues { versions in versions.keys.max().map { versions[$0]! } }
        self.statusByName = Dictionary(statuses.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.models = statuses
        self.warnings = warnings
        self.invokersByModel = invokers
    }

    /// Queues a request for `model` at `version` ("" = the newest serving version). Returns at
    /// once; `completion` gets the outcome exactly once. The handle cancels it while queued.
    @discardableResult
    public func submit(
        model: String, version: String = "", inputs: [String: Tensor], deadline: Deadline? = nil,
        completion: @escaping @Sendable (InferenceOutcome) -> Void
    ) -> Submission {
        submit(model, version, inputs, deadline, .closure(completion))
    }

    /// Like `submit(model:version:inputs:deadline:completion:)`, but the outcome goes to `sink`
    /// with `tag`, grouped with the other outcomes of the same batch for that sink.
    @discardableResult
    public func submit(
        model: String, version: String = "", inputs: [String: Tensor], deadline: Deadline? = nil,
        sink: any OutcomeSink, tag: UInt64
    ) -> Submission {
        submit(model, version, inputs, deadline, .sink(sink, tag: tag))
    }

    private func submit(_ model: String, _ version: String, _ inputs: [String: Tensor], _ deadline: Deadline?, _ completion: Completion) -> Submission {
        switch scheduler(model, version) {
        case .success(let scheduler):
            return scheduler.submit(inputs, deadline: deadline, completion: completion)
        case .failure(let error):
            completion.deliver(.failure(error))
            return Submission(request: nil, queue: nil)
        }
    }

    /// `submit` for async callers; cancelling the task cancels the request while it is queued.
    public func infer(model: String, version: String = "", inputs: [String: Tensor], deadline: Deadline? = nil) async throws(ServingError) -> InferenceResponse {
        let box = SubmissionBox()
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<InferenceOutcome, Never>) in
                box.set(submit(model: model, version: version, inputs: inputs, deadline: deadline) { continuation.resume(returning: $0) })
            }
        } onCancel: {
            box.cancel()
        }
        return try outcome.get()
    }

    /// The signature of a serving version ("" = the newest).
    public func metadata(model: String, version: String = "") throws(ServingError) -> ModelMetadata {
        let scheduler = try scheduler(model, version).get()
        return ModelMetadata(
            name: model, version: scheduler.version,
            readyVersions: schedulers[model].map { $0.keys.sorted() } ?? [],
            platform: "onnx_onnxv1", inputs: scheduler.model.inputs, outputs: scheduler.model.outputs)
    }

    /// Whether `model` at `version` ("" = any) can take requests.
    public func isReady(model: String, version: String = "") -> Bool {
        if case .success = scheduler(model, version) { true } else { false }
    }

    /// Batches, rows and requests served by one version so far.
    public func statistics(model: String, version: Int) -> VersionStatistics? {
        schedulers[model]?[version]?.metrics.statistics
    }

    /// The worker threads of one version and the CPUs each is pinned to.
    public func workerThreads(model: String, version: Int) -> [(threadID: Int32, cpus: [Int])] {
        schedulers[model]?[version]?.workerThreads ?? []
    }

    /// Helper threads that split a worker's rows across its CPUs (cpus_per_instance > 1).
    public func chunkHelperThreadIDs(model: String, version: Int) -> [Int32] {
        schedulers[model]?[version]?.chunkHelperThreadIDs ?? []
    }

    /// Stops taking requests (new ones get UNAVAILABLE), finishes every queued request, and
    /// joins the workers.
    public func shutdown() {
        for versions in schedulers.values { for scheduler in versions.values { scheduler.stop() } }
    }

    private func scheduler(_ model: String, _ version: String) -> Result<VersionScheduler, ServingError> {
        if version.isEmpty, let scheduler = newest[model] { return .success(scheduler) }
        guard let status = statusByName[model] else {
            return .failure(ServingError(.notFound, "unknown model '\(model)'"))
        }
        if version.isEmpty {
            let reason = status.problem ?? status.versions.last?.unavailableReason ?? "no version is loaded"
            return .failure(ServingError(.unavailable, "model '\(model)' is unavailable: \(reason)"))
        }
        guard let number = Int(version), number > 0 else {
            return .failure(ServingError(.notFound, "model '\(model)' has no version '\(version)' (versions are positive integers)"))
        }
        if let scheduler = schedulers[model]?[number] { return .success(scheduler) }
        if let failed = status.versions.first(where: { $0.number == number }), let reason = failed.unavailableReason {
            return .failure(ServingError(.unavailable, "model '\(model)' version \(number) is unavailable: \(reason)"))
        }
        return .failure(ServingError(.notFound, "model '\(model)' has no version \(number)"))
    }
}

/// Carries the submission handle from inside the continuation to the cancellation handler,
/// which may run before, during or after the submission.
private final class SubmissionBox: @unchecked Sendable {
    private let lock = NSLock()
    private var submission: Submission?
    private var cancelled = false

    func set(_ s: Submission) {
        lock.lock()
        submission = s
        let cancelNow = cancelled
        lock.unlock()
        if cancelNow { s.cancel() }
    }

    func cancel() {
        lock.lock()
        cancelled = true
        let s = submission
        lock.unlock()
        s?.cancel()
    }
}
