import ArgumentParser
import Foundation
import PredictClient
import PredictCommandLine
import PredictProtocol

/// `predict-client compare MODEL`: the champion/challenger statistics of a shadowed model.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Show how a model's shadow version compares with the version answering callers (admins only).")

    @OptionGroup var options: ConnectionOptions

    @Argument(help: "The model.")
    var model: String

    func run() async throws {
        let client = try makeClient(options)
        try await reportingErrors(client) { client throws(PredictClientError) in
            let response = try await client.shadowStatistics(model: model)
            print(options.json ? Self.json(response) : Self.table(response))
        }
    }

    static func table(_ response: Predict_V1_ShadowStatsResponse) -> String {
        guard !response.pairs.isEmpty else { return "\(response.model): no shadowed calls yet (set one with predict-client traffic \(response.model) --shadow VERSION:PERCENT)" }
        let header = ["answered", "shadow", "compared", "label agreement", "mean |Δ|", "max |Δ|", "answered µs", "shadow µs", "errors", "shed"]
        let rows = response.pairs.map { p in
            [
                "v\(p.primaryVersion)", "v\(p.shadowVersion)", "\(p.compared)",
                p.rows > 0 ? String(format: "%.2f%% (%d/%d)", p.labelAgreement * 100, p.agreeingRows, p.rows) : "-",
                String(format: "%.6f", p.meanAbsDifference), String(format: "%.6f", p.maxAbsDifference),
                String(format: "%.0f", p.primaryMeanUs), String(format: "%.0f", p.shadowMeanUs),
                "\(p.shadowErrors + p.mismatched)", "\(p.shed)",
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }

    static func json(_ response: Predict_V1_ShadowStatsResponse) -> String {
        let pairs = response.pairs.map { p in
            "{\"primary_version\":\(p.primaryVersion),\"shadow_version\":\(p.shadowVersion),\"compared\":\(p.compared),"
                + "\"rows\":\(p.rows),\"agreeing_rows\":\(p.agreeingRows),\"label_agreement\":\(p.labelAgreement),"
                + "\"mean_abs_difference\":\(p.meanAbsDifference),\"max_abs_difference\":\(p.maxAbsDifference),"
                + "\"primary_mean_us\":\(p.primaryMeanUs),\"shadow_mean_us\":\(p.shadowMeanUs),"
                + "\"shadow_errors\":\(p.shadowErrors),\"shed\":\(p.shed),\"mismatched\":\(p.mismatched)}"
        }
        return "{\"model\":\(PredictionFormatting.jsonString(response.model)),\"pairs\":[\(pairs.joined(separator: ","))]}"
    }
}
