import Synchronization

/// One consistent view of what the service serves: the schedulers of every loaded version and
/// the status of every model. Immutable; a reload builds a new one and swaps it in whole, so no
/// call ever sees half a repository.
final class ServingSnapshot: Sendable {
    let schedulers: [String: [Int: VersionScheduler]]
    /// Each model's routing policy as configured, and compiled against the versions served.
    let routing: [String: RoutingPolicy]
    let routers: [String: VersionRouter]
    let statusByName: [String: ModelStatus]
    let models: [ModelStatus]
    let warnings: [String]
    let invokersByModel: [String: [String]]
    /// Counts the callers between resolving a version and handing it their request, so a
    /// reload stops a replaced version only once nobody can still submit to it.
    let pins = Atomic<Int>(0)

    init(
        schedulers: [String: [Int: VersionScheduler]], statuses: [ModelStatus], warnings: [String], invokers: [String: [String]],
        routing: [String: RoutingPolicy]
    ) {
        self.schedulers = schedulers
        self.routing = routing
        var routers: [String: VersionRouter] = [:]
        for (name, versions) in schedulers {
            routers[name] = VersionRouter(policy: routing[name] ?? RoutingPolicy(), versions: versions)
        }
        self.routers = routers
        // A policy that names a version not serving makes the model unavailable to calls that
        // name no version, and not ready.
        let statuses = statuses.map { status in
            guard status.problem == nil, let problem = routers[status.name]?.problem else { return status }
            return ModelStatus(name: status.name, problem: problem, versions: status.versions)
        }
        self.statusByName = Dictionary(statuses.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.models = statuses
        self.warnings = warnings
        self.invokersByModel = invokers
    }

    var allSchedulers: [VersionScheduler] { schedulers.values.flatMap(\.values) }

    /// The scheduler a call for `model` at `version` goes to: "" is routed by the model's
    /// weights (with the routing key or principal when sticky), a tag reaches its version, a
    /// number that version.
    func scheduler(_ model: String, _ version: String, routingKey: String? = nil, principal: String? = nil) -> Result<VersionScheduler, ServingError> {
        if version.isEmpty, let scheduler = routers[model]?.pick(routingKey: routingKey, principal: principal) {
            return .success(scheduler)
        }
        guard let status = statusByName[model] else {
            return .failure(ServingError(.notFound, "unknown model '\(model)'"))
        }
        if version.isEmpty {
            let reason = status.problem ?? status.versions.last?.unavailableReason ?? "no version is loaded"
            return .failure(ServingError(.unavailable, "model '\(model)' is unavailable: \(reason)"))
        }
        if RoutingPolicy.isValidTag(version) {
            if let scheduler = routers[model]?.tags[version] { return .success(scheduler) }
            if let number = routing[model]?.tags[version] {
                return .failure(ServingError(.unavailable, "model '\(model)' tag '\(version)' names version \(number), which is not serving"))
            }
            let tags = (routing[model]?.tags.keys.sorted() ?? []).joined(separator: ", ")
            return .failure(ServingError(.notFound, "model '\(model)' has no tag '\(version)'" + (tags.isEmpty ? " (it has no tags)" : " (its tags: \(tags))")))
        }
        guard let number = Int(version), number > 0 else {
            return .failure(ServingError(.notFound, "model '\(model)' has no version '\(version)' (versions are positive integers, tags start with a letter)"))
        }
        if let scheduler = schedulers[model]?[number] { return .success(scheduler) }
        if let failed = status.versions.first(where: { $0.number == number }), let reason = failed.unavailableReason {
            return .failure(ServingError(.unavailable, "model '\(model)' version \(number) is unavailable: \(reason)"))
        }
        return .failure(ServingError(.notFound, "model '\(model)' has no version \(number)"))
    }
}
