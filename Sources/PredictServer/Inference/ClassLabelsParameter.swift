import PredictProtocol
import PredictRuntime

/// How an output's class labels travel: the output tensor's parameter `class_labels`, a
/// `string_param` holding a JSON array in column order — numbers for integer labels
/// (`[0,1,2]`), strings for string labels (`["setosa","versicolor","virginica"]`). JSON, not a
/// comma-joined list, because string labels may themselves contain commas.
enum ClassLabelsParameter {
    /// The parameter key on `ModelInferResponse.InferOutputTensor.parameters`.
    static let key = WireProtocol.classLabelsParameter

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
                JSONStringLiteral.append(value, to: &text)
            }
            return text + "]"
        }
    }
}
