import Foundation
import PredictProtocol

/// How `predict-client` prints predictions, shaped like the FastAPI servers it replaces.
public enum PredictionFormatting {
    /// `prediction: 0  confidence: 0.982`.
    public static func text(_ prediction: Prediction) -> String {
        "prediction: \(prediction.label)  confidence: \(String(format: "%.3f", Double(prediction.confidence)))"
    }

    /// `{"prediction":"0","confidence":0.981657,"probabilities":{"0":0.981657,"1":0.018343}}`;
    /// `probabilities` is left out when the model has none.
    public static func json(_ prediction: Prediction) -> String {
        var text = "{\"prediction\":\(jsonString(prediction.label)),\"confidence\":\(jsonNumber(prediction.confidence))"
        if !prediction.probabilities.isEmpty {
            let pairs = zip(prediction.classLabels, prediction.probabilities).map { "\(jsonString($0)):\(jsonNumber($1))" }
            text += ",\"probabilities\":{\(pairs.joined(separator: ","))}"
        }
        return text + "}"
    }

    /// `{"row":12,"prediction":"0","confidence":0.981657}`, one line of batch output.
    public static func jsonLine(row: Int, _ prediction: Prediction) -> String {
        "{\"row\":\(row),\"prediction\":\(jsonString(prediction.label)),\"confidence\":\(jsonNumber(prediction.confidence))}"
    }

    /// A JSON number with at most 6 decimals (`0.981657`, `1`); `null` for NaN and infinities,
    /// which JSON cannot carry.
    public static func jsonNumber(_ value: Float) -> String {
        guard value.isFinite else { return "null" }
        var text = String(format: "%.6f", Double(value))
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// A JSON string literal, escaped per RFC 8259.
    public static func jsonString(_ value: String) -> String {
        JSONStringLiteral.quoted(value)
    }
}
