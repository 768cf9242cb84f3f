import NIOConcurrencyHelpers
import PredictAuth

/// The access policy every connection checks calls against, replaceable while serving: a
/// repository reload brings new models' `invokers` from their config.yaml.
final class AccessPolicyBox: Sendable {
    private let policy: NIOLockedValueBox<AccessPolicy>

    init(_ policy: AccessPolicy) {
        self.policy = NIOLockedValueBox(policy)
    }

    /// `AccessPolicy.denial` under the policy in force, without copying it out of the lock.
    func denial(of principal: String, for access: AccessPolicy.Access) -> String? {
        policy.withLockedValue { $0.denial(of: principal, for: access) }
    }

    func replaceModelInvokers(_ invokers: [String: [String]]) {
        policy.withLockedValue { $0.modelInvokers = invokers.mapValues { Set($0) } }
    }
}
