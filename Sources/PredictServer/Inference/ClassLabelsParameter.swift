import PredictProtocol
import PredictRuntime

/// How an output's class labels travel: the output tensor's parameter `class_labels`, a
/// `string_param` holding a JSON array in column order — numbers for integer labels
/// (`[0,1,2]`), strings for string labels (`["setosa","versicolor","virginica"]`). JSON, not a
/// comma-joined list, because string labels may themselves contain commas.
enum ClassLabelsParameter {
    /// The parameter key on `ModelInferResponse.InferOutputTensor.parameters`.
    static let key = "class_labels"

    static func parameter(_ labels: ClassLabels) -> Inference_InferParameter {
        var parameter = Inference_InferParameter()
        parameter.stringParam = jsonText(labels)
        return parameter
    }

    /// The labels as compact JSON array text.
    static func jsonText(_ labels: ClassLabels) -> String {
        switch labels {
        case .int64(let values):
            return "[" + values.map(String.init).joined(separator: ",") + "]"
        case .string(let values):
            var text = "["
            for (i, value) in values.enumerated() {
                if i > 0 { text += "," }
                appendJSONString(value, to: &text)
            }
            return text + "]"
        }
    }

    /// RFC 8259 string escaping: quote, backslash and control characters; everything else as is.
    private static func appendJSONString(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
