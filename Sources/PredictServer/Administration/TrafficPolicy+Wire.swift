import PredictProtocol
import PredictServing

extension RoutingPolicy {
    /// The policy as `TrafficPolicy` carries it.
    var wire: Predict_V1_TrafficPolicy {
        var policy = Predict_V1_TrafficPolicy()
        policy.traffic = (traffic ?? []).map { share in
            var wire = Predict_V1_TrafficPolicy.Share()
            wire.version = Int64(share.version)
            wire.percent = UInt32(share.percent)
            return wire
        }
        policy.tags = tags.mapValues { Int64($0) }
        policy.sticky = sticky.rawValue
        if let shadow {
            policy.shadow.version = Int64(shadow.version)
            policy.shadow.percent = UInt32(shadow.percent)
        }
        return policy
    }

    /// A policy from the wire, refused with INVALID_ARGUMENT naming what is wrong.
    init(wire: Predict_V1_TrafficPolicy) throws(ServingError) {
        var traffic: [Share] = []
        for share in wire.traffic {
            guard share.version >= 1, share.version <= Int64(Int32.max) else {
                throw ServingError(.invalidArgument, "traffic names version \(share.version); versions are positive integers")
            }
            guard share.percent <= 100 else {
                throw ServingError(.invalidArgument, "traffic gives version \(share.version) \(share.percent)%; percents are 0 to 100")
            }
            traffic.append(Share(version: Int(share.version), percent: Int(share.percent)))
        }
        var tags: [String: Int] = [:]
        for (name, version) in wire.tags {
            guard Self.isValidTag(name) else {
                throw ServingError(.invalidArgument, "'\(name)' cannot be a tag: a tag starts with a letter and holds letters, digits, _, . or -")
            }
            guard version >= 1, version <= Int64(Int32.max) else {
                throw ServingError(.invalidArgument, "tag '\(name)' names version \(version); versions are positive integers")
            }
            tags[name] = Int(version)
        }
        guard let sticky = wire.sticky.isEmpty ? Stickiness.none : Stickiness(rawValue: wire.sticky) else {
            throw ServingError(.invalidArgument, "sticky is '\(wire.sticky)'; it is none or principal")
        }
        var shadow: Shadow?
        if wire.hasShadow {
            guard wire.shadow.version >= 1, wire.shadow.version <= Int64(Int32.max) else {
                throw ServingError(.invalidArgument, "shadow names version \(wire.shadow.version); versions are positive integers")
            }
            guard wire.shadow.percent <= 100 else {
                throw ServingError(.invalidArgument, "shadow copies \(wire.shadow.percent)% of calls; percents are 0 to 100")
            }
            shadow = Shadow(version: Int(wire.shadow.version), percent: Int(wire.shadow.percent))
        }
        let policy = RoutingPolicy(traffic: traffic.isEmpty ? nil : traffic, tags: tags, sticky: sticky, shadow: shadow)
        do throws(ConfigurationProblem) {
            self = try policy.validated()
        } catch {
            throw ServingError(.invalidArgument, "\(error.key.map { "\($0): " } ?? "")\(error.message)")
        }
    }
}
