import Foundation
import Metrics
import PredictRuntime
import Synchronization

/// The serving core: every loaded model version with its queue and pinned workers, behind a
/// small API the server calls. No networking: the server only puts a socket in front of it.
///
/// `submit` is the primary entry point: it never blocks, and its completion runs exactly once,
/// on a worker thread (or at once, on the caller's thread, when the request is refused).
/// `infer` wraps it for async callers. `reload()` re-reads the repository while serving.
public final class InferenceService: Sendable {
    private let current: Mutex<ServingSnapshot>
    /// Where the models came from; nil when they were handed over directly.
    public let repository: URL?
    private let builder: SnapshotBuilder
    /// Held for a whole reload, so two never interleave; calls never wait for it.
    private let reloading: Mutex<ReloadMemory>
    private let generationCounter = Atomic<Int>(0)
    /// Champion/challenger statistics of every shadowed pair of versions.
    public let shadows: ShadowLedger

    /// What the next reload compares against.
    struct ReloadMemory {
        /// Each serving version's model file stamp, by "model/version".
        var stamps: [String: FileStamp] = [:]
        /// Each loaded model file by path, for scans to reuse instead of parsing it again.
        var files: [String: (stamp: FileStamp, model: InferenceModel)] = [:]
    }

    /// Every model the service knows, serving or not, by name.
    public var models: [ModelStatus] { snapshot.models }
    /// Warnings from reading the repository (ignored directories, missing listed versions).
    public var warnings: [String] { snapshot.warnings }
    /// Each model's `invokers` from its config.yaml, for the server's authorization; models
    /// without the key are absent.
    public var invokersByModel: [String: [String]] { snapshot.invokersByModel }
    /// Starts at 0 and grows by one with each reload.
    public var generation: Int { generationCounter.load(ordering: .acquiring) }

    private var snapshot: ServingSnapshot { current.withLock { $0 } }

    /// Loads every model in a repository directory (REPO/MODEL/VERSION/model.onnx) and starts
    /// its workers. A broken model is reported UNAVAILABLE with its reason and never stops the
    /// others; an unreadable repository or an impossible CPU placement throws.
    public init(repository directory: URL, options: ServingOptions = ServingOptions()) throws(ServingError) {
        let scan: RepositoryScan
        do {
            scan = try ModelRepository.scan(directory)
        } catch {
            throw ServingError(.unavailable, error.description)
        }
        let builder = SnapshotBuilder(options: options, available: try Self.cpus(options))
        let (candidates, statuses, invokers, routing) = SnapshotBuilder.candidates(of: scan)
        let (outcome, stamps) = try builder.build(
            candidates, statuses: statuses, warnings: scan.warnings, invokers: invokers, routing: routing,
            previous: nil, stamps: [:], strict: true)
        self.current = Mutex(outcome.snapshot)
        self.shadows = ShadowLedger(factory: options.metricsFactory ?? MetricsSystem.factory)
        self.repository = directory
        self.builder = builder
        self.reloading = Mutex(ReloadMemory(stamps: stamps, files: Self.files(of: scan)))
    }

    /// Serves the given model versions.
    public init(_ versions: [ServedModelVersion], options: ServingOptions = ServingOptions()) throws(ServingError) {
        let grouped = Dictionary(grouping: versions, by: \.name)
        let statuses = grouped.keys.sorted().map { name in
            ModelStatus(name: name, problem: nil, versions: grouped[name]!.map { .init(number: $0.version, unavailableReason: nil) }.sorted { $0.number < $1.number })
        }
        let invokers = Dictionary(versions.filter { !$0.configuration.invokers.isEmpty }.map { ($0.name, $0.configuration.invokers) }, uniquingKeysWith: { first, _ in first })
        let builder = SnapshotBuilder(options: options, available: try Self.cpus(options))
        let candidates = versions.map {
            SnapshotBuilder.Candidate(name: $0.name, version: $0.version, model: $0.model, configuration: $0.configuration, stamp: nil)
        }
        let routing = Dictionary(versions.map { ($0.name, $0.configuration.routing) }, uniquingKeysWith: { first, _ in first })
        let (outcome, _) = try builder.build(
            candidates, statuses: statuses, warnings: [], invokers: invokers, routing: routing,
            previous: nil, stamps: [:], strict: true)
        self.current = Mutex(outcome.snapshot)
        self.shadows = ShadowLedger(factory: options.metricsFactory ?? MetricsSystem.factory)
        self.repository = nil
        self.builder = builder
        self.reloading = Mutex(ReloadMemory())
    }

    /// Re-reads the repository and swaps in what it now holds, without failing a call: versions
    /// whose model file and settings are unchanged keep their workers; new or changed ones
    /// load and start before the swap; versions no longer selected stop taking requests after
    /// it, finish their queue, and are joined. A version that cannot load is reported and
    /// whatever served before goes on. Blocking: run it off the event loops.
    public func reload() throws(ServingError) -> ReloadReport {
        guard let repository else {
            throw ServingError(.unimplemented, "this service was given its models directly; there is no repository to reload")
        }
        return try reloading.withLock { memory throws(ServingError) -> ReloadReport in
            let known = memory.files
            let scan: RepositoryScan
            do throws(ConfigurationError) {
                scan = try ModelRepository.scan(repository) { url, stamp in
                    known[url.path].flatMap { $0.stamp == stamp ? $0.model : nil }
                }
            } catch {
                throw ServingError(.unavailable, error.description)
            }
            let (candidates, statuses, invokers, routing) = SnapshotBuilder.candidates(of: scan)
            let previous = snapshot
            let (outcome, stamps) = try builder.build(
                candidates, statuses: statuses, warnings: scan.warnings, invokers: invokers, routing: routing,
                previous: previous, stamps: memory.stamps, strict: false)
            current.withLock { $0 = outcome.snapshot }
            generationCounter.add(1, ordering: .releasing)
            memory.stamps = stamps
            memory.files = Self.files(of: scan)
            Self.retire(outcome.retired, after: previous)
            return outcome.report
        }
    }

    /// Stops replaced versions once no caller still holds the snapshot that served them: each
    /// request queued before then is finished by the workers being stopped.
    private static func retire(_ schedulers: [VersionScheduler], after snapshot: ServingSnapshot) {
        guard !schedulers.isEmpty else { return }
        while snapshot.pins.load(ordering: .acquiring) > 0 { usleep(50) }
        for scheduler in schedulers { scheduler.stop() }
    }

    private static func cpus(_ options: ServingOptions) throws(ServingError) -> [Int] {
        if let cpus = options.cpus { return cpus }
        return try CPUSet.allowed()
    }

    private static func files(of scan: RepositoryScan) -> [String: (stamp: FileStamp, model: InferenceModel)] {
        var files: [String: (stamp: FileStamp, model: InferenceModel)] = [:]
        for entry in scan.models {
            for version in entry.versions {
                if let stamp = version.stamp, let model = version.model { files[version.modelURL.path] = (stamp, model) }
            }
        }
        return files
    }

    /// Resolves `model` at `version` and runs `body` with it: "" is routed by the model's
    /// weights (`routingKey`, else `principal` when the model is sticky by principal, keeps a
    /// caller on one version), a tag reaches its version, a number that version. Until `body`
    /// returns, the version stays able to take the request even if a reload replaces it
    /// meanwhile. Keep `body` short: a reload waits for it.
    public func withVersion<R>(
        model: String, version: String, routingKey: String? = nil, principal: String? = nil,
        _ body: (Result<ServingVersion, ServingError>) -> R
    ) -> R {
        let snapshot = current.withLock { snapshot in
            snapshot.pins.add(1, ordering: .relaxed)
            return snapshot
        }
        defer { snapshot.pins.subtract(1, ordering: .releasing) }
        let resolved = snapshot.scheduler(model, version, routingKey: routingKey, principal: principal).map { scheduler in
            // Only routed calls are shadowed: a call naming its version asked for that one.
            let shadow = version.isEmpty ? snapshot.routers[model]?.shadowCopy(of: scheduler) : nil
            return ServingVersion(scheduler: scheduler, shadow: shadow, ledger: shadow == nil ? nil : shadows)
        }
        return body(resolved)
    }

    /// Queues a request for `model` at `version` ("" = routed by the model's weights). Returns at
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
        let resolved = withVersion(model: model, version: version) { resolved -> Result<Submission, ServingError> in
            resolved.map { $0.scheduler.submit(inputs, deadline: deadline, completion: completion) }
        }
        switch resolved {
        case .success(let submission):
            return submission
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

    /// The signature of a serving version: a number, a tag, or "" for the one taking the
    /// largest share of calls that name no version (the newest when there are no weights).
    public func metadata(model: String, version: String = "") throws(ServingError) -> ModelMetadata {
        let snapshot = self.snapshot
        let scheduler: VersionScheduler
        if version.isEmpty, let primary = snapshot.routers[model]?.primary, snapshot.routers[model]?.problem == nil {
            scheduler = primary
        } else {
            scheduler = try snapshot.scheduler(model, version).get()
        }
        return ModelMetadata(
            name: model, version: scheduler.version,
            readyVersions: snapshot.schedulers[model].map { $0.keys.sorted() } ?? [],
            platform: "onnx_onnxv1", inputs: scheduler.model.inputs, outputs: scheduler.model.outputs)
    }

    /// The routing policy in force for `model` (config.yaml `traffic`, `tags`, `sticky`), nil
    /// for an unknown model.
    public func routing(model: String) -> RoutingPolicy? {
        let snapshot = self.snapshot
        guard snapshot.statusByName[model] != nil else { return nil }
        return snapshot.routing[model] ?? RoutingPolicy()
    }

    /// Whether the repository has a model of this name, serving or not.
    public func isKnown(model: String) -> Bool {
        snapshot.statusByName[model] != nil
    }

    /// Whether `model` at `version` ("" = any) can take requests.
    public func isReady(model: String, version: String = "") -> Bool {
        if case .success = snapshot.scheduler(model, version) { true } else { false }
    }

    /// Batches, rows and requests served by one version so far.
    public func statistics(model: String, version: Int) -> VersionStatistics? {
        snapshot.schedulers[model]?[version]?.metrics.statistics
    }

    /// The worker threads of one version and the CPUs each is pinned to.
    public func workerThreads(model: String, version: Int) -> [(threadID: Int32, cpus: [Int])] {
        snapshot.schedulers[model]?[version]?.workerThreads ?? []
    }

    /// Helper threads that split a worker's rows across its CPUs (cpus_per_instance > 1).
    public func chunkHelperThreadIDs(model: String, version: Int) -> [Int32] {
        snapshot.schedulers[model]?[version]?.chunkHelperThreadIDs ?? []
    }

    /// Stops taking requests (new ones get UNAVAILABLE), finishes every queued request, and
    /// joins the workers.
    public func shutdown() {
        reloading.withLock { _ in
            for scheduler in snapshot.allSchedulers { scheduler.stop() }
        }
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
