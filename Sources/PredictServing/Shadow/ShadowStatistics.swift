/// What a champion/challenger pair's comparison has found since the server started (or since
/// the pair first ran): one model, the version that answered, the version shadowing it.
public struct ShadowStatistics: Sendable, Equatable {
    public let model: String
    public let primaryVersion: Int
    public let shadowVersion: Int
    /// Calls both versions answered, and compared.
    public internal(set) var compared = 0
    public internal(set) var rows = 0
    public internal(set) var agreeingRows = 0
    public internal(set) var elements = 0
    public internal(set) var sumAbsDifference = 0.0
    public internal(set) var maxAbsDifference = 0.0
    /// Calls whose outputs could not be compared (different names, types or shapes).
    public internal(set) var mismatched = 0
    /// Copies the shadow version failed (not counted in `compared`).
    public internal(set) var shadowErrors = 0
    /// Copies dropped before running because the shadow version's queue was full.
    public internal(set) var shed = 0
    public internal(set) var primaryNanoseconds: UInt64 = 0
    public internal(set) var shadowNanoseconds: UInt64 = 0

    init(model: String, primaryVersion: Int, shadowVersion: Int) {
        self.model = model
        self.primaryVersion = primaryVersion
        self.shadowVersion = shadowVersion
    }

    /// Rows whose labels agreed, from 0 to 1; nil when no labels were compared.
    public var labelAgreement: Double? { rows > 0 ? Double(agreeingRows) / Double(rows) : nil }
    /// Mean absolute difference of float outputs; nil when none were compared.
    public var meanAbsDifference: Double? { elements > 0 ? sumAbsDifference / Double(elements) : nil }
    /// Mean latency of each side over the compared calls, in microseconds.
    public var primaryMeanMicroseconds: Double? { compared > 0 ? Double(primaryNanoseconds) / Double(compared) / 1000 : nil }
    public var shadowMeanMicroseconds: Double? { compared > 0 ? Double(shadowNanoseconds) / Double(compared) / 1000 : nil }

    mutating func add(_ comparison: ShadowComparison, primaryNanoseconds: UInt64, shadowNanoseconds: UInt64) {
        if comparison.mismatch {
            mismatched += 1
            return
        }
        compared += 1
        rows += comparison.rows
        agreeingRows += comparison.agreeingRows
        elements += comparison.elements
        sumAbsDifference += comparison.sumAbsDifference
        maxAbsDifference = max(maxAbsDifference, comparison.maxAbsDifference)
        self.primaryNanoseconds += primaryNanoseconds
        self.shadowNanoseconds += shadowNanoseconds
    }
}
