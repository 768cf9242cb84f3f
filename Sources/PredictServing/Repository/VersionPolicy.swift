/// Which of a model's version directories are loaded and served.
public enum VersionPolicy: Sendable, Equatable, CustomStringConvertible {
    /// The N highest version numbers present (N ≥ 1).
    case latest(Int)
    /// Every version present.
    case all
    /// Exactly the versions listed that are present.
    case specific([Int])

    /// The policy as config.yaml writes it.
    public var description: String {
        switch self {
        case .latest(let n): "{latest: \(n)}"
        case .all: "all"
        case .specific(let versions): "{specific: [\(versions.map(String.init).joined(separator: ", "))]}"
        }
    }

    /// The versions of `available` this policy selects, ascending, and the versions it lists
    /// that are not available (only `specific` lists any).
    func select(from available: some Collection<Int>) -> (selected: [Int], missing: [Int]) {
        let present = available.sorted()
        switch self {
        case .latest(let n):
            return (Array(present.suffix(n)), [])
        case .all:
            return (present, [])
        case .specific(let listed):
            let presentSet = Set(present)
            return (present.filter(listed.contains), listed.filter { !presentSet.contains($0) })
        }
    }
}
