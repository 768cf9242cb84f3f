import Synchronization

/// One consistent view of what the service serves: the schedulers of every loaded version and
/// the status of every model. Immutable; a reload builds a new one and swaps it in whole, so no
/// call ever sees half a repository.
final class ServingSnapshot: Sendable {
    let schedulers: [String: [Int: VersionScheduler]]
    /// The newest serving version of each model, resolved once so a submit costs one lookup.
    let newest: [String: VersionScheduler]
    let statusByName: [String: ModelStatus]
    let models: [ModelStatus]
    let warnings: [String]
    let invokersByModel: [String: [String]]
    /// Counts the callers between resolving a version and handing it their request, so a
    /// reload stops a replaced version only once nobody can still submit to it.
    let pins = Atomic<Int>(0)

    init(schedulers: [String: [Int: VersionScheduler]], statuses: [ModelStatus], warnings: [String], invokers: [String: [String]]) {
        self.schedulers = schedulers
        self.newest = schedulers.compactMapValues { versions in versions.keys.max().map { versions[$0]! } }
        self.statusByName = Dictionary(statuses.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.models = statuses
        self.warnings = warnings
        self.invokersByModel = invokers
    }

    var allSchedulers: [VersionScheduler] { schedulers.values.flatMap(\.values) }

    func scheduler(_ model: String, _ version: String) -> Result<VersionScheduler, ServingError> {
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
