import PredictProtocol

extension PredictClient {
    /// A model's routing policy and loaded versions (an administrator's call).
    public func traffic(model: String, timeout: Duration? = nil) async throws(PredictClientError) -> Predict_V1_TrafficResponse {
        var request = Predict_V1_TrafficGetRequest()
        request.model = model
        return try await perform(.trafficGet(request), timeout: timeout) {
            if case .trafficGet(let response) = $0 { response } else { nil }
        }
    }

    /// Replaces a model's traffic, tags and sticky setting as a whole; INVALID_ARGUMENT names
    /// what is wrong and leaves the old policy in force.
    public func setTraffic(model: String, policy: Predict_V1_TrafficPolicy, timeout: Duration? = nil) async throws(PredictClientError) -> Predict_V1_TrafficResponse {
        var request = Predict_V1_TrafficSetRequest()
        request.model = model
        request.policy = policy
        return try await perform(.trafficSet(request), timeout: timeout) {
            if case .trafficSet(let response) = $0 { response } else { nil }
        }
    }

    /// Points `tag` at `version`; version 0 removes the tag.
    public func setTag(model: String, tag: String, version: Int64, timeout: Duration? = nil) async throws(PredictClientError) -> Predict_V1_TrafficResponse {
        var request = Predict_V1_TagSetRequest()
        request.model = model
        request.tag = tag
        request.version = version
        return try await perform(.tagSet(request), timeout: timeout) {
            if case .tagSet(let response) = $0 { response } else { nil }
        }
    }

    /// Restores the policy in force before the last change.
    public func rollbackTraffic(model: String, timeout: Duration? = nil) async throws(PredictClientError) -> Predict_V1_TrafficResponse {
        var request = Predict_V1_TrafficRollbackRequest()
        request.model = model
        return try await perform(.trafficRollback(request), timeout: timeout) {
            if case .trafficRollback(let response) = $0 { response } else { nil }
        }
    }

    /// Loads a version of the model, or unloads it.
    public func loadVersion(model: String, version: Int64, unload: Bool = false, timeout: Duration? = nil) async throws(PredictClientError) -> Predict_V1_TrafficResponse {
        var request = Predict_V1_VersionLoadRequest()
        request.model = model
        request.version = version
        request.unload = unload
        return try await perform(.versionLoad(request), timeout: timeout) {
            if case .versionLoad(let response) = $0 { response } else { nil }
        }
    }
}

extension PredictClient {
    /// Champion/challenger statistics of a model's shadowed version pairs (an administrator's call).
    public func shadowStatistics(model: String, timeout: Duration? = nil) async throws(PredictClientError) -> Predict_V1_ShadowStatsResponse {
        var request = Predict_V1_ShadowStatsRequest()
        request.model = model
        return try await perform(.shadowStats(request), timeout: timeout) {
            if case .shadowStats(let response) = $0 { response } else { nil }
        }
    }
}
