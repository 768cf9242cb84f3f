import Dispatch
import Foundation
import Logging
import PredictProtocol
import PredictServing
import Synchronization

/// The traffic administration calls (Call fields 31-35): show and set a model's routing
/// policy, set or remove a tag, roll back, load or unload a version.
///
/// A change is written to the model's config.yaml and applied by a repository reload, so it
/// takes effect atomically (calls see the old policy or the new one) and survives a restart.
/// Changes run one at a time off the event loops. A change that would not serve (a version
/// that does not exist or does not load) is refused and the file put back: the old policy stays
/// in force.
final class TrafficAdministration: Sendable {
    enum Operation: Sendable {
        case get
        case set(Predict_V1_TrafficPolicy)
        case tag(String, version: Int64)
        case rollback
        case load(version: Int64, unload: Bool)
    }

    private let service: InferenceService
    private let logger: Logger
    private let queue = DispatchQueue(label: "predict.traffic-administration")
    /// Earlier policies per model, newest last, for rollback.
    private let history = Mutex<[String: [RoutingPolicy]]>([:])

    init(service: InferenceService, logger: Logger) {
        self.service = service
        self.logger = logger
    }

    /// Runs `operation` on `model` and gives the Result to `completion`, on another thread.
    func perform(_ operation: Operation, model: String, completion: @escaping @Sendable (Predict_V1_Result) -> Void) {
        queue.async { [self] in
            let result: Predict_V1_Result
            do throws(ServingError) {
                result = try run(operation, model: model)
            } catch {
                result = Predict_V1_Result(error)
            }
            completion(result)
        }
    }

    private func run(_ operation: Operation, model: String) throws(ServingError) -> Predict_V1_Result {
        guard let repository = service.repository else {
            throw ServingError(.unimplemented, "this server was given its models directly; there is no repository to change")
        }
        guard let current = service.routing(model: model) else {
            throw ServingError(.notFound, "unknown model '\(model)'")
        }
        if case .get = operation { return response(operation, model: model) }
        let file = ModelConfigurationFile(model: repository.appendingPathComponent(model, isDirectory: true))
        var configuration = try file.read()
        let present = Self.versionsPresent(in: repository.appendingPathComponent(model, isDirectory: true))
        switch operation {
        case .get:
            return response(operation, model: model)
        case .set(let wire):
            configuration.routing = try RoutingPolicy(wire: wire)
        case .tag(let name, let version):
            guard RoutingPolicy.isValidTag(name) else {
                throw ServingError(.invalidArgument, "'\(name)' cannot be a tag: a tag starts with a letter and holds letters, digits, _, . or -")
            }
            if version == 0 {
                guard current.tags[name] != nil else { throw ServingError(.notFound, "model '\(model)' has no tag '\(name)'") }
                configuration.routing.tags[name] = nil
            } else {
                guard version > 0, version <= Int64(Int32.max) else {
                    throw ServingError(.invalidArgument, "tag '\(name)' cannot name version \(version); versions are positive integers (0 removes the tag)")
                }
                configuration.routing.tags[name] = Int(version)
            }
        case .rollback:
            guard let previous = history.withLock({ $0[model]?.last }) else {
                throw ServingError(.invalidArgument, "model '\(model)' has no earlier policy to roll back to")
            }
            configuration.routing = previous
        case .load(let version, let unload):
            guard version > 0, let number = Int(exactly: version), present.contains(number) else {
                throw ServingError(.invalidArgument, "model '\(model)' has no version \(version) in the repository (versions present: \(Self.list(present)))")
            }
            var loaded = Set(service.models.first { $0.name == model }?.versions.map(\.number) ?? [])
            if unload {
                if configuration.routing.namedVersions.contains(number) {
                    throw ServingError(.invalidArgument, "version \(number) of '\(model)' is named by its traffic or tags; move its traffic and tags first")
                }
                loaded.remove(number)
                guard !loaded.isEmpty else { throw ServingError(.invalidArgument, "version \(number) is the only version of '\(model)' loaded") }
            } else {
                loaded.insert(number)
            }
            configuration.versionPolicy = .specific(loaded.sorted())
        }
        for version in configuration.routing.namedVersions.sorted() where !present.contains(version) {
            throw ServingError(.invalidArgument, "model '\(model)' has no version \(version) in the repository (versions present: \(Self.list(present)))")
        }
        try apply(configuration, to: file, model: model)
        switch operation {
        case .set, .tag: history.withLock { $0[model, default: []].append(current) }
        case .rollback: history.withLock { _ = $0[model]?.popLast() }
        case .get, .load: break
        }
        logger.notice("traffic changed", metadata: [
            "model": "\(model)", "call": "\(Self.name(operation))",
            "traffic": "\((configuration.routing.traffic ?? []).map { "\($0.version)=\($0.percent)" }.joined(separator: ","))",
            "tags": "\(configuration.routing.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))",
        ])
        return response(operation, model: model)
    }

    /// Writes the file and reloads; when the model does not serve as asked afterwards, puts the
    /// file back, reloads again, and throws why.
    private func apply(_ configuration: ModelConfiguration, to file: ModelConfigurationFile, model: String) throws(ServingError) {
        try file.write(routing: configuration.routing, versionPolicy: configuration.versionPolicy)
        let report: ReloadReport
        do throws(ServingError) {
            report = try service.reload()
        } catch {
            file.restore()
            _ = try? service.reload()
            throw error
        }
        let status = service.models.first { $0.name == model }
        let failure = report.failed.first { $0.hasPrefix("\(model)/") || $0.hasPrefix("\(model):") }
            ?? status?.problem
            ?? status?.versions.first { !$0.isReady && configuration.routing.namedVersions.contains($0.number) }?.unavailableReason
        if let failure {
            file.restore()
            _ = try? service.reload()
            throw ServingError(.invalidArgument, "the change was not applied; the previous policy stays in force: \(failure)")
        }
    }

    private func response(_ operation: Operation, model: String) -> Predict_V1_Result {
        var response = Predict_V1_TrafficResponse()
        response.model = model
        response.policy = (service.routing(model: model) ?? RoutingPolicy()).wire
        response.loadedVersions = (service.models.first { $0.name == model }?.versions ?? []).filter(\.isReady).map { Int64($0.number) }
        response.history = UInt32(history.withLock { $0[model]?.count ?? 0 })
        var result = Predict_V1_Result()
        result.status = .ok
        switch operation {
        case .get: result.trafficGet = response
        case .set: result.trafficSet = response
        case .tag: result.tagSet = response
        case .rollback: result.trafficRollback = response
        case .load: result.versionLoad = response
        }
        return result
    }

    private static func name(_ operation: Operation) -> String {
        switch operation {
        case .get: "traffic_get"
        case .set: "traffic_set"
        case .tag: "tag_set"
        case .rollback: "traffic_rollback"
        case .load: "version_load"
        }
    }

    private static func versionsPresent(in directory: URL) -> Set<Int> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return Set(names.compactMap(ModelRepository.versionNumber))
    }

    private static func list(_ versions: Set<Int>) -> String {
        versions.isEmpty ? "none" : versions.sorted().map(String.init).joined(separator: ", ")
    }
}
