/// How calls that name no version reach a model's versions (config.yaml `traffic`, `tags`,
/// `sticky`): weights in whole percents, named tags that reach one version whatever the
/// weights, and whether a caller keeps landing on the same version.
public struct RoutingPolicy: Sendable, Equatable {
    /// One version's share of the calls that name no version.
    public struct Share: Sendable, Equatable {
        public var version: Int
        public var percent: Int

        public init(version: Int, percent: Int) {
            self.version = version
            self.percent = percent
        }
    }

    /// Champion/challenger: copies of calls also run on `version`, compared, never answered.
    public struct Shadow: Sendable, Equatable {
        public var version: Int
        /// The share of routed calls copied, 0 to 100.
        public var percent: Int

        public init(version: Int, percent: Int = 100) {
            self.version = version
            self.percent = percent
        }
    }

    /// Which key keeps a caller on one version.
    public enum Stickiness: String, Sendable, Equatable {
        /// Only the request's `routing_key` parameter, when it has one.
        case none
        /// The request's `routing_key`, else the caller's principal.
        case principal
    }

    /// nil: the newest loaded version takes every call (the default). Else the shares, summing
    /// to 100; a version not listed gets no calls that name no version (a no-traffic deploy).
    public var traffic: [Share]?
    /// Tag name → version: `model_version: "challenger"` reaches it.
    public var tags: [String: Int]
    public var sticky: Stickiness
    /// nil: no shadowing.
    public var shadow: Shadow?

    public init(traffic: [Share]? = nil, tags: [String: Int] = [:], sticky: Stickiness = .none, shadow: Shadow? = nil) {
        self.traffic = traffic
        self.tags = tags
        self.sticky = sticky
        self.shadow = shadow
    }

    /// Every version the policy names, which must be loaded whatever the version policy says.
    public var namedVersions: Set<Int> {
        Set((traffic ?? []).map(\.version)).union(tags.values).union(shadow.map { [$0.version] } ?? [])
    }

    /// Whether `name` may name a tag: a letter first, then letters, digits, `_`, `.` or `-`.
    /// A tag can never be mistaken for a version number.
    public static func isValidTag(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-") }
    }

    /// The rules no single key checks: shares sum to 100, each version listed once.
    package func validated() throws(ConfigurationProblem) -> RoutingPolicy {
        if let traffic {
            var seen: Set<Int> = []
            for share in traffic where !seen.insert(share.version).inserted {
                throw ConfigurationProblem(key: "traffic", message: "lists version \(share.version) more than once")
            }
            let total = traffic.reduce(0) { $0 + $1.percent }
            guard total == 100 else {
                let shares = traffic.map { "\($0.version): \($0.percent)%" }.joined(separator: ", ")
                throw ConfigurationProblem(key: "traffic", message: "percents must sum to 100; they sum to \(total) (\(shares))")
            }
        }
        return self
    }
}
