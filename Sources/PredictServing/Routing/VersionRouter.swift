import Synchronization

/// A model's routing compiled against the versions a snapshot serves: 100 one-percent buckets
/// for calls that name no version, the tags, and the key that keeps a caller on one version.
struct VersionRouter: Sendable {
    /// One scheduler per percent; empty when the policy cannot be served (`problem` says why).
    let buckets: [VersionScheduler]
    let tags: [String: VersionScheduler]
    let sticky: RoutingPolicy.Stickiness
    /// The version metadata calls without a version describe: the largest share (newest first
    /// on a tie), or the newest when there are no weights.
    let primary: VersionScheduler?
    /// Why calls naming no version (or a tag) cannot be served, naming the version at fault.
    let problem: String?
    /// Where copies of routed calls also run, and the share copied.
    let shadow: VersionScheduler?
    let shadowPercent: Int

    /// Spreads calls without a routing key evenly over the buckets.
    private static let sequence = Atomic<UInt64>(0)

    init(policy: RoutingPolicy, versions: [Int: VersionScheduler]) {
        sticky = policy.sticky
        var problem: String?
        var tags: [String: VersionScheduler] = [:]
        for (name, number) in policy.tags {
            if let scheduler = versions[number] { tags[name] = scheduler } else {
                problem = problem ?? "tag '\(name)' names version \(number), which is not serving"
            }
        }
        self.tags = tags
        if let wanted = policy.shadow {
            shadow = versions[wanted.version]
            if shadow == nil { problem = problem ?? "'shadow' names version \(wanted.version), which is not serving" }
            shadowPercent = wanted.percent
        } else {
            shadow = nil
            shadowPercent = 0
        }
        if let traffic = policy.traffic {
            var buckets: [VersionScheduler] = []
            for share in traffic where share.percent > 0 {
                guard let scheduler = versions[share.version] else {
                    problem = problem ?? "'traffic' sends \(share.percent)% to version \(share.version), which is not serving"
                    buckets = []
                    break
                }
                buckets += Array(repeating: scheduler, count: share.percent)
            }
            self.buckets = problem == nil ? buckets : []
            let largest = traffic.filter { versions[$0.version] != nil }.max { ($0.percent, $0.version) < ($1.percent, $1.version) }
            primary = largest.flatMap { versions[$0.version] }
        } else {
            let newest = versions.keys.max().flatMap { versions[$0] }
            buckets = newest.map { [$0] } ?? []
            primary = newest
        }
        self.problem = problem
    }

    /// The version a call naming no version goes to. `routingKey` (the request's, else the
    /// caller's principal when the policy is sticky by principal) always picks the same bucket.
    func pick(routingKey: String?, principal: String?) -> VersionScheduler? {
        guard !buckets.isEmpty else { return nil }
        if buckets.count == 1 { return buckets[0] }
        let key = routingKey ?? (sticky == .principal ? principal : nil)
        let hash = key.map(Self.stableHash) ?? Self.mix(Self.sequence.add(1, ordering: .relaxed).newValue)
        return buckets[Int(hash % UInt64(buckets.count))]
    }

    /// The shadow version to copy a call answered by `primary` to, or nil (no shadow, not
    /// sampled, or the call already runs there).
    func shadowCopy(of primary: VersionScheduler) -> VersionScheduler? {
        guard let shadow, shadow !== primary, shadowPercent > 0 else { return nil }
        if shadowPercent >= 100 { return shadow }
        return Self.mix(Self.sequence.add(1, ordering: .relaxed).newValue) % 100 < UInt64(shadowPercent) ? shadow : nil
    }

    /// FNV-1a over the key's UTF-8, then mixed: the same in every process and run, so a
    /// caller's bucket does not move across restarts or replicas.
    static func stableHash(_ key: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return mix(hash)
    }

    /// SplitMix64's finaliser.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
