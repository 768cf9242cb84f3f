import PredictRuntime
import PredictServing

/// Per serving model version, what answering an inference call needs beyond the serving core:
/// the outputs requested names are checked against and the response encoder. Built once at
/// start-up, so a call costs one dictionary lookup.
struct ServedModelCatalog: Sendable {
    struct Entry: Sendable {
        var outputs: [TensorInfo]
        var encoder: InferResponseEncoder
    }

    /// Keyed by model name and version string; "" is the newest serving version.
    private let entries: [String: [String: Entry]]

    init(service: InferenceService) {
        var entries: [String: [String: Entry]] = [:]
        for model in service.models {
            for version in model.versions where version.isReady {
                guard let metadata = try? service.metadata(model: model.name, version: String(version.number)) else { continue }
                entries[model.name, default: [:]][String(version.number)] = Entry(
                    outputs: metadata.outputs, encoder: InferResponseEncoder(modelOutputs: metadata.outputs))
            }
            if let newest = try? service.metadata(model: model.name), let entry = entries[model.name]?[String(newest.version)] {
                entries[model.name]?[""] = entry
            }
        }
        self.entries = entries
    }

    /// The entry for a serving version; nil when the serving core would refuse the call.
    func entry(model: String, version: String) -> Entry? {
        entries[model]?[version]
    }
}
