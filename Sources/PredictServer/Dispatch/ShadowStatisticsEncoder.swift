import PredictProtocol
import PredictServing

/// `ShadowStatsResponse` from the serving core's champion/challenger statistics.
enum ShadowStatisticsEncoder {
    static func encode(model: String, _ statistics: [ShadowStatistics]) -> Predict_V1_ShadowStatsResponse {
        var response = Predict_V1_ShadowStatsResponse()
        response.model = model
        response.pairs = statistics.map { s in
            var pair = Predict_V1_ShadowStatsResponse.Pair()
            pair.primaryVersion = Int64(s.primaryVersion)
            pair.shadowVersion = Int64(s.shadowVersion)
            pair.compared = UInt64(s.compared)
            pair.rows = UInt64(s.rows)
            pair.agreeingRows = UInt64(s.agreeingRows)
            pair.labelAgreement = s.labelAgreement ?? 0
            pair.meanAbsDifference = s.meanAbsDifference ?? 0
            pair.maxAbsDifference = s.maxAbsDifference
            pair.primaryMeanUs = s.primaryMeanMicroseconds ?? 0
            pair.shadowMeanUs = s.shadowMeanMicroseconds ?? 0
            pair.shadowErrors = UInt64(s.shadowErrors)
            pair.shed = UInt64(s.shed)
            pair.mismatched = UInt64(s.mismatched)
            return pair
        }
        return response
    }
}
