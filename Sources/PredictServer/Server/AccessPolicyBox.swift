import NIOConcurrencyHelpers
import PredictAuth

/// The access policy every connection checks calls against: the policy the server was given,
/// with each model's `invokers` from its config.yaml added, recomputed on every repository
/// reload so a principal removed from a config.yaml loses access with the reload.
final class AccessPolicyBox: Sendable {
    private let configured: AccessPolicy
    private let policy: NIOLockedValueBox<AccessPolicy>

    init(_ configured: AccessPolicy, repositoryInvokers: [String: [String]]) {
        self.configured = configured
        self.policy = NIOLockedValueBox(configured)
        update(repositoryInvokers: repositoryInvokers)
    }

    /// `AccessPolicy.denial` under the policy in force, without copying it out of the lock.
    func denial(of principal: String, for access: AccessPolicy.Access) -> String? {
        policy.withLockedValue { $0.denial(of: principal, for: access) }
    }

    /// The configured per-model invokers, each joined by the repository's for that model.
    func update(repositoryInvokers: [String: [String]]) {
        var merged = configured.modelInvokers
        for (model, principals) in repositoryInvokers { merged[model, default: []].formUnion(principals) }
        policy.withLockedValue { $0.modelInvokers = merged }
    }
}
