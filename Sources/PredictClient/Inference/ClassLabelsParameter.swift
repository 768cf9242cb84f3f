import Foundation
import PredictProtocol

/// Reads an output's `class_labels` parameter as the server writes it: a `string_param` holding
/// a JSON array in column order, of numbers (`[0,1,2]`) or strings (`["setosa","versicolor"]`).
enum ClassLabelsParameter {
    static let key = WireProtocol.classLabelsParameter

    /// The labels as text, or nil when the output has none or they are not such an array.
    static func labels(of output: Inference_ModelInferResponse.InferOutputTensor) -> [String]? {
        guard case .stringParam(let text)? = output.parameters[key]?.parameterChoice,
              let labels = try? JSONDecoder().decode([Label].self, from: Data(text.utf8))
        else { return nil }
        return labels.map(\.text)
    }

    /// One array element, integer or string.
    private struct Label: Decodable {
        var text: String

        init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer()
            if let integer = try? value.decode(Int64.self) {
                text = String(integer)
            } else if let number = try? value.decode(Double.self) {
                text = String(number)
            } else {
                text = try value.decode(String.self)
            }
        }
    }
}
