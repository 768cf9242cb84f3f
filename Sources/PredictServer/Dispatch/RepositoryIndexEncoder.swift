import PredictProtocol
import PredictServing

/// Turns the serving core's model statuses into a `RepositoryIndexResponse`.
enum RepositoryIndexEncoder {
    /// One entry per version, by model name then version; a model without versions (or whose
    /// configuration is broken) gets one entry with an empty version and its reason.
    static func encode(_ models: [ModelStatus], readyOnly: Bool) -> Predict_V1_RepositoryIndexResponse {
        var response = Predict_V1_RepositoryIndexResponse()
        for model in models.sorted(by: { $0.name < $1.name }) {
            let hasReadyVersion = model.problem == nil && model.versions.contains(where: \.isReady)
            if readyOnly && !hasReadyVersion { continue }
            if model.versions.isEmpty || model.problem != nil {
                var entry = Predict_V1_RepositoryIndexResponse.ModelIndex()
                entry.name = model.name
                entry.state = "UNAVAILABLE"
                entry.reason = model.problem ?? "no version is loaded"
                response.models.append(entry)
                continue
            }
            for version in model.versions.sorted(by: { $0.number < $1.number }) {
                if readyOnly && !version.isReady { continue }
                var entry = Predict_V1_RepositoryIndexResponse.ModelIndex()
                entry.name = model.name
                entry.version = String(version.number)
                entry.state = version.isReady ? "READY" : "UNAVAILABLE"
                entry.reason = version.unavailableReason ?? ""
                response.models.append(entry)
            }
        }
        return response
    }
}
