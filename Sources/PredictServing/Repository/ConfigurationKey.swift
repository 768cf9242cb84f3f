import Yams

/// One key that config.yaml accepts: its name and how its value is read into a configuration.
struct ConfigurationKey: Sendable {
    let name: String
    let read: @Sendable (Node, inout ModelConfiguration) throws(ConfigurationProblem) -> Void

    /// Every accepted key, in the order docs/REPOSITORY.md lists them. Adding a key is one line
    /// here plus its field on `ModelConfiguration`.
    static let all: [ConfigurationKey] = [
        .integer("instances", \.instances, atLeast: 1, "the number of workers for each model version"),
        .integer("cpus_per_instance", \.cpusPerInstance, atLeast: 1, "the number of CPUs each worker is pinned to"),
        .integer("max_batch_size", \.maxBatchSize, atLeast: 0, "0 disables batching"),
        .integer("max_queue_delay_us", \.maxQueueDelayMicroseconds, atLeast: 0, "microseconds to wait for a fuller batch"),
        .integer("max_queue", \.maxQueue, atLeast: 1, "queued requests before RESOURCE_EXHAUSTED"),
        .optionalInteger("timeout_ms", \.timeoutMilliseconds, atLeast: 1, "milliseconds; leave the key out for no default deadline"),
        ConfigurationKey(name: "version_policy") { value, configuration throws(ConfigurationProblem) in
            configuration.versionPolicy = try VersionPolicy(yaml: value)
        },
        ConfigurationKey(name: "invokers") { value, configuration throws(ConfigurationProblem) in
            configuration.invokers = try Self.principals(value, key: "invokers")
        },
        ConfigurationKey(name: "traffic") { value, configuration throws(ConfigurationProblem) in
            configuration.routing.traffic = try RoutingPolicy.readTraffic(value)
        },
        ConfigurationKey(name: "tags") { value, configuration throws(ConfigurationProblem) in
            configuration.routing.tags = try RoutingPolicy.readTags(value)
        },
        ConfigurationKey(name: "sticky") { value, configuration throws(ConfigurationProblem) in
            configuration.routing.sticky = try RoutingPolicy.readSticky(value)
        },
        ConfigurationKey(name: "shadow") { value, configuration throws(ConfigurationProblem) in
            configuration.routing.shadow = try RoutingPolicy.readShadow(value)
        },
    ]

    /// A non-empty list of distinct, non-empty principal strings (emails, subjects, or `*`).
    static func principals(_ value: Node, key: String) throws(ConfigurationProblem) -> [String] {
        guard case .sequence(let sequence) = value, !sequence.isEmpty else {
            throw ConfigurationProblem(key: key, message: "must be a non-empty list of principals (emails or token subjects, or \"*\"), e.g. [svc@project.iam.gserviceaccount.com]; got \(value.shown)")
        }
        var principals: [String] = []
        for element in sequence {
            guard let principal = element.nonEmptyString else {
                throw ConfigurationProblem(key: key, message: "lists \(element.shown), which is not a principal (a non-empty string)")
            }
            guard !principals.contains(principal) else {
                throw ConfigurationProblem(key: key, message: "lists '\(principal)' more than once")
            }
            principals.append(principal)
        }
        return principals
    }

    static let named: [String: ConfigurationKey] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The accepted keys, for messages.
    static let names = all.map(\.name).joined(separator: ", ")

    /// A key that sets an integer field, with a lower bound and what the number means.
    static func integer(
        _ name: String, _ field: WritableKeyPath<ModelConfiguration, Int> & Sendable, atLeast minimum: Int, _ meaning: String
    ) -> ConfigurationKey {
        ConfigurationKey(name: name) { value, configuration throws(ConfigurationProblem) in
            configuration[keyPath: field] = try value.integer(atLeast: minimum, key: name, meaning: meaning)
        }
    }

    /// Like `integer`, for a field whose absence means "none".
    static func optionalInteger(
        _ name: String, _ field: WritableKeyPath<ModelConfiguration, Int?> & Sendable, atLeast minimum: Int, _ meaning: String
    ) -> ConfigurationKey {
        ConfigurationKey(name: name) { value, configuration throws(ConfigurationProblem) in
            configuration[keyPath: field] = try value.integer(atLeast: minimum, key: name, meaning: meaning)
        }
    }

    /// The error for a key that is not in `all`, suggesting an accepted key it looks like.
    static func unknown(_ keyNode: Node) -> ConfigurationProblem {
        let given = keyNode.plainString ?? keyNode.scalar?.string ?? keyNode.shown
        let hint = suggestion(for: given).map { " (did you mean '\($0)'?)" } ?? ""
        return ConfigurationProblem(key: given, message: "is not a configuration key\(hint); the keys are \(names)")
    }

    /// The accepted key that `given` is probably a misspelling of: the same once case and
    /// separators are ignored, a couple of typos away, or a prefix of it.
    private static func suggestion(for given: String) -> String? {
        func normalized(_ s: String) -> String { s.lowercased().filter { $0 != "_" && $0 != "-" } }
        let typed = normalized(given)
        guard typed.count >= 3 else { return nil }
        return all.map(\.name)
            .map { (name: $0, distance: editDistance(normalized($0), typed)) }
            .filter { $0.distance <= 2 || normalized($0.name).hasPrefix(typed) }
            .min { $0.distance < $1.distance }?.name
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let b = Array(b)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension VersionPolicy {
    static let allowed = "must be all, {latest: N} or {specific: [versions]}"

    /// Reads `version_policy`: the scalar `all`, or a one-key mapping `latest: N` or
    /// `specific: [versions]`, in flow or block style.
    init(yaml value: Node) throws(ConfigurationProblem) {
        if value.plainString == "all" {
            self = .all
            return
        }
        guard case .mapping(let mapping) = value, mapping.count == 1, let (keyNode, argument) = mapping.first else {
            throw ConfigurationProblem(key: "version_policy", message: "\(Self.allowed); got \(value.shown)")
        }
        switch keyNode.plainString {
        case "latest":
            self = .latest(try argument.integer(
                atLeast: 1, key: "version_policy.latest", meaning: "how many of the highest versions to serve"))
        case "specific":
            guard case .sequence(let sequence) = argument, !sequence.isEmpty else {
                throw ConfigurationProblem(
                    key: "version_policy.specific",
                    message: "must be a non-empty list of versions (positive integers), e.g. [1, 3]; got \(argument.shown)")
            }
            var versions: [Int] = []
            for element in sequence {
                let version = try element.integer(atLeast: 1, key: "version_policy.specific", meaning: "a version")
                guard !versions.contains(version) else {
                    throw ConfigurationProblem(key: "version_policy.specific", message: "lists version \(version) more than once")
                }
                versions.append(version)
            }
            self = .specific(versions)
        default:
            throw ConfigurationProblem(key: "version_policy", message: "\(Self.allowed); got \(value.shown)")
        }
    }
}
