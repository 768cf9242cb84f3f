import NIOConcurrencyHelpers

/// The typed helper's knowledge of each model's input, by model and version, so metadata is
/// fetched once per client rather than per call. An entry is dropped when an inference with it
/// fails as NOT_FOUND or INVALID_ARGUMENT, since the model may have changed under it.
final class ModelMetadataCache: Sendable {
    struct Key: Hashable, Sendable {
        var model: String
        var version: String
    }

    private let entries = NIOLockedValueBox<[Key: FeatureRowsInput]>([:])

    subscript(key: Key) -> FeatureRowsInput? {
        get { entries.withLockedValue { $0[key] } }
        set { entries.withLockedValue { $0[key] = newValue } }
    }
}
