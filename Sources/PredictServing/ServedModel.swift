import CoreMetrics
import PredictRuntime

/// What a served model looks like from outside: each version the repository holds and whether
/// it can take requests, or why not.
public struct ModelStatus: Sendable {
    public struct Version: Sendable {
        public let number: Int
        /// nil when the version is serving; else why it is UNAVAILABLE.
        public let unavailableReason: String?
        public var isReady: Bool { unavailableReason == nil }
    }

    public let name: String
    /// Why the model as a whole is UNAVAILABLE (a bad config.yaml, no usable version), else nil.
    public let problem: String?
    public let versions: [Version]
}

/// A model version's signature, for metadata calls.
public struct ModelMetadata: Sendable {
    public let name: String
    /// The version described.
    public let version: Int
    /// Every version that is serving, ascending.
    public let readyVersions: [Int]
    /// Always "onnx_onnxv1" today.
    public let platform: String
    public let inputs: [TensorInfo]
    public let outputs: [TensorInfo]
}

/// A model version handed to `InferenceService` directly rather than found in a repository
/// (tests, benchmarks, embedding).
public struct ServedModelVersion: Sendable {
    public let name: String
    public let version: Int
    public let model: any ServableModel
    public let configuration: ModelConfiguration

    public init(name: String, version: Int, model: any ServableModel, configuration: ModelConfiguration = ModelConfiguration()) {
        self.name = name
        self.version = version
        self.model = model
        self.configuration = configuration
    }
}

/// Options of the serving core as a whole.
public struct ServingOptions: Sendable {
    /// Let workers of different model versions share CPUs when there are fewer CPUs than
    /// workers ask for; without it that is a start-up error.
    public var allowCPUSharing = false
    /// The CPUs workers are placed on; nil = every CPU this process may use.
    public var cpus: [Int]? = nil
    /// Where serving metrics go; nil = the process's bootstrapped `MetricsSystem`.
    public var metricsFactory: (any MetricsFactory)? = nil

    public init(allowCPUSharing: Bool = false, cpus: [Int]? = nil, metricsFactory: (any MetricsFactory)? = nil) {
        self.allowCPUSharing = allowCPUSharing
        self.cpus = cpus
        self.metricsFactory = metricsFactory
    }
}
