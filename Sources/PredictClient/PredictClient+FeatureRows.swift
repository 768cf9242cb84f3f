import PredictProtocol

extension PredictClient {
    /// Classifies rows of FP32 features with a model that has one input of shape [N, F]:
    /// all rows go in one request (raw, little-endian), one ``Prediction`` comes back per row,
    /// in order.
    ///
    /// The model's metadata is fetched on first use and cached per model and version. Rows of
    /// different lengths are INVALID_ARGUMENT without a round trip; no rows, no call. `timeout`
    /// applies to each round trip (the metadata fetch, then the inference).
    public func infer(model: String, version: String = "", rows: [[Float]], timeout: Duration? = nil) async throws(PredictClientError) -> [Prediction] {
        guard !rows.isEmpty else { return [] }
        let request = try await featureRowsRequest(model: model, version: version, rows: rows, timeout: timeout)
        let response: Inference_ModelInferResponse
        do {
            response = try await infer(request, timeout: timeout)
        } catch {
            if error.code == .notFound || error.code == .invalidArgument {
                metadataCache[ModelMetadataCache.Key(model: model, version: version)] = nil
            }
            throw error
        }
        return try PredictionDecoder.predictions(from: response, rows: rows.count, model: model)
    }

    /// The request ``infer(model:version:rows:timeout:)`` sends for `rows`, for a caller that
    /// prepares requests once and sends them many times with ``infer(_:timeout:)`` (a load
    /// generator, a replay). Fetches the model's metadata on first use, as that method does.
    public func featureRowsRequest(model: String, version: String = "", rows: [[Float]], timeout: Duration? = nil) async throws(PredictClientError) -> Inference_ModelInferRequest {
        let width = try FeatureRowsRequest.validate(rows)
        let key = ModelMetadataCache.Key(model: model, version: version)
        let input: FeatureRowsInput
        if let cached = metadataCache[key] {
            input = cached
        } else {
            input = try FeatureRowsInput(metadata: await metadata(model: model, version: version, timeout: timeout), model: model)
            metadataCache[key] = input
        }
        return FeatureRowsRequest.make(model: model, version: version, input: input, rows: rows, width: width)
    }
}
