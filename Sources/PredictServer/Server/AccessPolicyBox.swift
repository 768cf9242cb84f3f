import NIOConcurrencyHelpers
import PredictAuth

/// The access policy every connection checks calls against, replaceable while serving: a
/// repository reload brings new models' `invokers` from their config.yaml.
final class AccessPolicyBox: Sendable {
    private let policy: NIOLockedValueBox<AccessPolicy>

    init(_ policy: AccessPolicy) {
        self.policy = NIOLockedValueBox(policy)
    }

    var current: AccessPolicy { policy.withLockedValue { $0 } }

    func replaceModelInvokers(_ invokers: [String: [String]]) {
        policy.withLockedValue { $0.modelInvokers = invokers.mapValues { Set($0) } }
    }
}
