import Foundation
import PredictRuntime

/// One version directory of a model and what became of it.
public struct ModelVersionEntry: Sendable {
    /// The directory's number.
    public let number: Int
    /// `REPO/<model>/<number>/model.onnx`.
    public let modelURL: URL
    public let state: State
    /// model.onnx as it was read, so a reload can tell whether it changed.
    public let stamp: FileStamp?

    /// A loaded model ready to serve, or why there is none.
    public enum State: Sendable {
        case loaded(InferenceModel)
        /// `reason` names the file and says what is wrong (the runtime's message for a model
        /// that did not load).
        case failed(reason: String)
    }

    public init(number: Int, modelURL: URL, state: State, stamp: FileStamp? = nil) {
        self.number = number
        self.modelURL = modelURL
        self.state = state
        self.stamp = stamp
    }

    /// The loaded model, or nil when this version failed.
    public var model: InferenceModel? {
        if case .loaded(let model) = state { model } else { nil }
    }
}

/// One model directory: its configuration (or why it has none) and the versions its policy
/// selects.
public struct ModelEntry: Sendable {
    /// The directory's name, which requests use.
    public let name: String
    public let directory: URL
    /// nil when config.yaml is broken; then `problem` says why and no version is loaded.
    public let configuration: ModelConfiguration?
    /// Why the model as a whole cannot be served (bad config, bad name, no version
    /// directories, no version selected by the policy), else nil.
    public let problem: String?
    /// The versions the policy selects, ascending, each loaded or failed with its reason.
    /// Empty when `problem` is set.
    public let versions: [ModelVersionEntry]
    /// config.yaml as it was read (nil when there is none), so a reload can tell whether it
    /// changed.
    public let configurationStamp: FileStamp?

    public init(
        name: String, directory: URL, configuration: ModelConfiguration?, problem: String?, versions: [ModelVersionEntry],
        configurationStamp: FileStamp? = nil
    ) {
        self.name = name
        self.directory = directory
        self.configuration = configuration
        self.problem = problem
        self.versions = versions
        self.configurationStamp = configurationStamp
    }
}

/// What a scan of a model repository found.
public struct RepositoryScan: Sendable {
    /// Every model directory, sorted by name, broken ones included.
    public let models: [ModelEntry]
    /// Entries that were ignored or policy versions that do not exist, each naming its path,
    /// e.g. "REPO/iris/tmp: not a version directory (versions are positive integers)".
    public let warnings: [String]

    public init(models: [ModelEntry], warnings: [String]) {
        self.models = models
        self.warnings = warnings
    }

    /// The model named `name`, if its directory exists.
    public func model(named name: String) -> ModelEntry? {
        models.first { $0.name == name }
    }
}
