import Foundation
import Metrics
import PredictRuntime

/// Turns a repository scan into a `ServingSnapshot`, keeping the schedulers of a previous
/// snapshot whose model file and scheduling settings are unchanged and starting workers for the
/// rest. Used at start-up (no previous snapshot) and by every reload.
struct SnapshotBuilder {
    let options: ServingOptions
    /// The CPUs workers may use.
    let available: [Int]

    /// A version to serve: found in a scan, or handed over directly.
    struct Candidate {
        var name: String
        var version: Int
        var model: any ServableModel
        var configuration: ModelConfiguration
        var stamp: FileStamp?
    }

    struct Outcome {
        var snapshot: ServingSnapshot
        /// Schedulers of the previous snapshot that the new one no longer holds.
        var retired: [VersionScheduler]
        var report: ReloadReport
    }

    /// - Parameter strict: At start-up a placement that does not fit throws; on reload the new
    ///   versions fail to load instead and everything already serving goes on.
    func build(
        _ candidates: [Candidate], statuses: [ModelStatus], warnings: [String], invokers: [String: [String]],
        routing: [String: RoutingPolicy], previous: ServingSnapshot?, stamps previousStamps: [String: FileStamp], strict: Bool
    ) throws(ServingError) -> (Outcome, stamps: [String: FileStamp]) {
        var routing = routing
        var kept: [String: VersionScheduler] = [:]
        var fresh: [Candidate] = []
        for candidate in candidates {
            let key = "\(candidate.name)/\(candidate.version)"
            if let old = previous?.schedulers[candidate.name]?[candidate.version],
               let stamp = candidate.stamp, previousStamps[key] == stamp,
               Self.sameScheduling(old.configuration, candidate.configuration)
            {
                kept[key] = old
            } else {
                fresh.append(candidate)
            }
        }

        var failures: [String: String] = [:]
        var started: [String: VersionScheduler] = [:]
        let demands = fresh.map {
            WorkerPlacement.Demand(key: "\($0.name)/\($0.version)", instances: $0.configuration.instances, cpusPerInstance: $0.configuration.cpusPerInstance)
        }
        var placement: WorkerPlacement?
        do throws(ServingError) {
            placement = try plan(demands, keptCPUs: Set(kept.values.flatMap { $0.cpus.joined() }))
        } catch {
            if strict { throw error }
            for demand in demands { failures[demand.key] = error.message }
        }
        if let placement {
            do throws(ServingError) {
                for candidate in fresh {
                    let key = "\(candidate.name)/\(candidate.version)"
                    do throws(ServingError) {
                        started[key] = try VersionScheduler(
                            name: candidate.name, version: candidate.version, model: candidate.model,
                            configuration: candidate.configuration, cpus: placement.assignments[key] ?? [],
                            metricsFactory: options.metricsFactory ?? MetricsSystem.factory)
                    } catch {
                        if strict { throw error }
                        failures[key] = error.message
                    }
                }
            } catch {
                started.values.forEach { $0.stop() }
                throw error
            }
        }

        var schedulers: [String: [Int: VersionScheduler]] = [:]
        var stamps: [String: FileStamp] = [:]
        for candidate in candidates {
            let key = "\(candidate.name)/\(candidate.version)"
            guard let scheduler = kept[key] ?? started[key] else { continue }
            schedulers[candidate.name, default: [:]][candidate.version] = scheduler
            if let stamp = candidate.stamp { stamps[key] = stamp }
        }
        var finalStatuses = statuses.map { status in
            ModelStatus(name: status.name, problem: status.problem, versions: status.versions.map { version in
                let reason = failures["\(status.name)/\(version.number)"].map { "cannot start workers: \($0)" }
                return .init(number: version.number, unavailableReason: version.unavailableReason ?? reason)
            })
        }
        // A model still in the repository whose new versions all failed keeps what it served:
        // a broken deploy must not take a working model down.
        var keptModels: [String] = []
        for (index, status) in finalStatuses.enumerated() where schedulers[status.name] == nil {
            guard let serving = previous?.schedulers[status.name], !serving.isEmpty else { continue }
            schedulers[status.name] = serving
            routing[status.name] = previous?.routing[status.name]
            for (number, _) in serving { stamps["\(status.name)/\(number)"] = previousStamps["\(status.name)/\(number)"] }
            let why = status.problem ?? status.versions.compactMap(\.unavailableReason).first ?? "no version could serve"
            let numbers = serving.keys.sorted()
            let failed = status.versions.filter { !numbers.contains($0.number) }
            finalStatuses[index] = ModelStatus(
                name: status.name, problem: nil,
                versions: (numbers.map { .init(number: $0, unavailableReason: nil) } + failed).sorted { $0.number < $1.number })
            keptModels.append("\(status.name): still serving version \(numbers.map(String.init).joined(separator: ", ")) because the new configuration cannot serve: \(why)")
        }
        let live = Set(schedulers.values.flatMap(\.values).map(\.id))
        let retired = previous?.allSchedulers.filter { !live.contains($0.id) } ?? []
        var report = ReloadReport()
        report.loaded = started.keys.sorted()
        report.unloaded = retired.map { "\($0.name)/\($0.version)" }.sorted()
        report.failed = failures.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" } + keptModels
        report.warnings = warnings
        let snapshot = ServingSnapshot(
            schedulers: schedulers, statuses: finalStatuses, warnings: warnings + keptModels, invokers: invokers, routing: routing)
        return (Outcome(snapshot: snapshot, retired: retired, report: report), stamps)
    }

    /// New workers go on CPUs no kept worker holds; a replaced version's CPUs count as free, so
    /// old and new overlap only while the old one finishes its queue.
    private func plan(_ demands: [WorkerPlacement.Demand], keptCPUs: Set<Int>) throws(ServingError) -> WorkerPlacement {
        let free = available.filter { !keptCPUs.contains($0) }
        let needed = demands.reduce(0) { $0 + $1.instances * $1.cpusPerInstance }
        if options.allowCPUSharing && free.count < needed {
            return try WorkerPlacement.plan(demands, available: available, allowSharing: true)
        }
        return try WorkerPlacement.plan(demands, available: free, allowSharing: options.allowCPUSharing)
    }

    /// Whether two configurations run a version the same way; invokers, the version policy and
    /// routing do not touch its workers.
    static func sameScheduling(_ a: ModelConfiguration, _ b: ModelConfiguration) -> Bool {
        var a = a, b = b
        a.invokers = []
        b.invokers = []
        a.versionPolicy = .all
        b.versionPolicy = .all
        a.routing = RoutingPolicy()
        b.routing = RoutingPolicy()
        return a == b
    }
}

extension SnapshotBuilder {
    /// The candidates, statuses and invokers of a repository scan.
    static func candidates(of scan: RepositoryScan) -> (candidates: [Candidate], statuses: [ModelStatus], invokers: [String: [String]], routing: [String: RoutingPolicy]) {
        var candidates: [Candidate] = []
        var statuses: [ModelStatus] = []
        var invokers: [String: [String]] = [:]
        var routing: [String: RoutingPolicy] = [:]
        for entry in scan.models {
            if let listed = entry.configuration?.invokers, !listed.isEmpty { invokers[entry.name] = listed }
            if let policy = entry.configuration?.routing { routing[entry.name] = policy }
            var versions: [ModelStatus.Version] = []
            for v in entry.versions {
                switch v.state {
                case .loaded(let model):
                    candidates.append(Candidate(
                        name: entry.name, version: v.number, model: model,
                        configuration: entry.configuration ?? ModelConfiguration(),
                        stamp: v.stamp))
                    versions.append(.init(number: v.number, unavailableReason: nil))
                case .failed(let reason):
                    versions.append(.init(number: v.number, unavailableReason: reason))
                }
            }
            statuses.append(ModelStatus(name: entry.name, problem: entry.problem, versions: versions))
        }
        return (candidates, statuses, invokers, routing)
    }
}
