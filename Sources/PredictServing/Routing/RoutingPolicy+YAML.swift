import Yams

extension RoutingPolicy {
    /// `traffic`: a list of `{version: V, percent: P}`, in flow or block style.
    static func readTraffic(_ value: Node) throws(ConfigurationProblem) -> [Share] {
        let example = "e.g. [{version: 1, percent: 90}, {version: 2, percent: 10}]"
        guard case .sequence(let sequence) = value, !sequence.isEmpty else {
            throw ConfigurationProblem(key: "traffic", message: "must be a non-empty list of {version, percent}, \(example); got \(value.shown)")
        }
        var shares: [Share] = []
        for element in sequence {
            guard case .mapping(let mapping) = element else {
                throw ConfigurationProblem(key: "traffic", message: "lists \(element.shown), which is not a {version, percent} mapping; \(example)")
            }
            var version: Int?
            var percent: Int?
            for (keyNode, field) in mapping {
                switch keyNode.plainString {
                case "version": version = try field.integer(atLeast: 1, key: "traffic.version", meaning: "a version number")
                case "percent":
                    let number = try field.integer(atLeast: 0, key: "traffic.percent", meaning: "a whole percent from 0 to 100")
                    guard number <= 100 else {
                        throw ConfigurationProblem(key: "traffic.percent", message: "must be a whole percent from 0 to 100; got \(number)")
                    }
                    percent = number
                default:
                    throw ConfigurationProblem(key: "traffic", message: "entries have the keys version and percent only; got \(keyNode.shown)")
                }
            }
            guard let version, let percent else {
                throw ConfigurationProblem(key: "traffic", message: "each entry needs both version and percent; got \(element.shown)")
            }
            shares.append(Share(version: version, percent: percent))
        }
        return shares
    }

    /// `tags`: a mapping of tag name to version number.
    static func readTags(_ value: Node) throws(ConfigurationProblem) -> [String: Int] {
        guard case .mapping(let mapping) = value else {
            throw ConfigurationProblem(key: "tags", message: "must be a mapping of tag name to version, e.g. {challenger: 2}; got \(value.shown)")
        }
        var tags: [String: Int] = [:]
        for (keyNode, field) in mapping {
            guard let name = keyNode.scalar?.string, isValidTag(name) else {
                throw ConfigurationProblem(key: "tags", message: "has the tag \(keyNode.shown); a tag starts with a letter and holds letters, digits, _, . or - (so it is never a version number)")
            }
            tags[name] = try field.integer(atLeast: 1, key: "tags.\(name)", meaning: "the version the tag reaches")
        }
        return tags
    }

    /// `sticky`: `principal` or `none`.
    static func readSticky(_ value: Node) throws(ConfigurationProblem) -> Stickiness {
        guard let text = value.plainString, let stickiness = Stickiness(rawValue: text) else {
            throw ConfigurationProblem(key: "sticky", message: "must be principal or none; got \(value.shown)")
        }
        return stickiness
    }

    /// `shadow`: `{version: V, percent: P}`, percent defaulting to 100.
    static func readShadow(_ value: Node) throws(ConfigurationProblem) -> Shadow {
        guard case .mapping(let mapping) = value else {
            throw ConfigurationProblem(key: "shadow", message: "must be a mapping {version: V, percent: P}, e.g. {version: 2, percent: 100}; got \(value.shown)")
        }
        var version: Int?
        var percent = 100
        for (keyNode, field) in mapping {
            switch keyNode.plainString {
            case "version": version = try field.integer(atLeast: 1, key: "shadow.version", meaning: "the version copies of calls run on")
            case "percent":
                percent = try field.integer(atLeast: 0, key: "shadow.percent", meaning: "a whole percent from 0 to 100")
                guard percent <= 100 else {
                    throw ConfigurationProblem(key: "shadow.percent", message: "must be a whole percent from 0 to 100; got \(percent)")
                }
            default:
                throw ConfigurationProblem(key: "shadow", message: "has the keys version and percent only; got \(keyNode.shown)")
            }
        }
        guard let version else { throw ConfigurationProblem(key: "shadow", message: "needs a version") }
        return Shadow(version: version, percent: percent)
    }
}
