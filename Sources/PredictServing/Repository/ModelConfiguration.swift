import Yams

/// How one model is served: its workers, batching, queue bounds, default deadline and which
/// versions load. Read from the optional `REPO/<model>/config.yaml`; every key is optional and
/// an absent key keeps the default documented here (docs/REPOSITORY.md lists them all).
public struct ModelConfiguration: Sendable, Equatable {
    /// `instances`: workers for each loaded version (≥ 1).
    public var instances: Int = 1
    /// `cpus_per_instance`: CPUs each worker is pinned to (≥ 1).
    public var cpusPerInstance: Int = 1
    /// `max_batch_size`: most rows in one batch (≥ 0); 0 disables batching.
    public var maxBatchSize: Int = 64
    /// `max_queue_delay_us`: longest wait for a fuller batch, in microseconds (≥ 0).
    public var maxQueueDelayMicroseconds: Int = 0
    /// `max_queue`: queued requests before new ones get RESOURCE_EXHAUSTED (≥ 1).
    public var maxQueue: Int = 1024
    /// `timeout_ms`: the deadline of a call that gives none, in milliseconds (≥ 1); nil for none.
    public var timeoutMilliseconds: Int? = nil
    /// `version_policy`: which versions load (default `{latest: 1}`).
    public var versionPolicy: VersionPolicy = .latest(1)
    /// `invokers`: principals (verified emails, else token subjects) allowed to call this model
    /// in addition to the server-wide `--invoker`s; `*` admits any valid token. Default none.
    public var invokers: [String] = []
    /// `traffic`, `tags` and `sticky`: how calls that name no version, or a tag, are routed.
    public var routing = RoutingPolicy()

    /// The defaults: what an empty or absent config.yaml means.
    public init() {}

    /// Parses config.yaml text; `file` names it in errors. Empty text (or only comments) gives
    /// the defaults. Unknown keys, values of the wrong type or range (numbers in quotes
    /// included) and YAML syntax errors throw, naming the file, the key and what is allowed.
    public static func parse(_ yaml: String, file: String) throws(ConfigurationError) -> ModelConfiguration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw YAMLSyntax.error(error, yaml: yaml, file: file)
        }
        do {
            return try read(root)
        } catch {
            throw error.inFile(file)
        }
    }

    private static func read(_ root: Node?) throws(ConfigurationProblem) -> ModelConfiguration {
        var configuration = ModelConfiguration()
        guard let root, !root.isNull else { return configuration }
        guard case .mapping(let mapping) = root else {
            throw ConfigurationProblem(
                key: nil,
                message: "must be a mapping of configuration keys (\(ConfigurationKey.names)); got \(root.shown)")
        }
        for (keyNode, value) in mapping {
            guard let name = keyNode.plainString, let key = ConfigurationKey.named[name] else {
                throw ConfigurationKey.unknown(keyNode)
            }
            try key.read(value, &configuration)
        }
        configuration.routing = try configuration.routing.validated()
        return configuration
    }
}
