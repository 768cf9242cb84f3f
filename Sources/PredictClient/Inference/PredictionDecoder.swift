import PredictProtocol

/// Turns a classifier's `ModelInferResponse` into one ``Prediction`` per row.
///
/// The label output is the first INT64, INT32 or BYTES output of rank 1; the probability
/// output the first FP32 output of rank 2, one column per class. Either may be missing, not
/// both: without labels the most probable class is the label, without probabilities the
/// confidence is 1 and the probabilities are empty.
enum PredictionDecoder {
    private static let labelDatatypes: Set<String> = ["INT64", "INT32", "BYTES"]

    static func predictions(from response: Inference_ModelInferResponse, rows: Int, model: String) throws(PredictClientError) -> [Prediction] {
        let outputs = response.outputs
        let labelIndex = outputs.firstIndex { labelDatatypes.contains($0.datatype) && $0.shape.count == 1 }
        let probabilityIndex = outputs.firstIndex { $0.datatype == "FP32" && $0.shape.count == 2 }
        guard labelIndex != nil || probabilityIndex != nil else {
            throw PredictClientError(
                .invalidArgument,
                "model '\(model)' has no label output (INT64, INT32 or BYTES of shape [N]) nor probability output (FP32 of shape [N, C]); use infer(_:) with a ModelInferRequest")
        }

        let labels = try labelIndex.map { index throws(PredictClientError) in try OutputTensorDecoder.labels(response, output: index) }
        if let labels, labels.count != rows {
            throw PredictClientError(.internalError, "model '\(model)' returned \(labels.count) labels for \(rows) rows")
        }
        guard let probabilityIndex else {
            return labels!.map { Prediction(label: $0, confidence: 1, probabilities: [], classLabels: []) }
        }

        let output = outputs[probabilityIndex]
        let values = try OutputTensorDecoder.floats(response, output: probabilityIndex)
        guard output.shape[0] == Int64(rows) else {
            throw PredictClientError(.internalError, "model '\(model)' returned probabilities for \(output.shape[0]) rows, not \(rows)")
        }
        let classes = Int(output.shape[1])
        let classLabels = classLabels(probabilities: output, labelOutput: labelIndex.map { outputs[$0] }, classes: classes)

        return (0..<rows).map { row in
            let probabilities = Array(values[row * classes..<(row + 1) * classes])
            let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] }
            return Prediction(
                label: labels?[row] ?? best.map { classLabels[$0] } ?? "",
                confidence: best.map { probabilities[$0] } ?? 1,
                probabilities: probabilities,
                classLabels: classLabels)
        }
    }

    /// The probability columns' classes: that output's `class_labels`, else the label output's
    /// when it has one per column, else "0", "1", ….
    private static func classLabels(
        probabilities: Inference_ModelInferResponse.InferOutputTensor,
        labelOutput: Inference_ModelInferResponse.InferOutputTensor?,
        classes: Int
    ) -> [String] {
        if let labels = ClassLabelsParameter.labels(of: probabilities), labels.count == classes {
            return labels
        }
        if let labelOutput, let labels = ClassLabelsParameter.labels(of: labelOutput), labels.count == classes {
            return labels
        }
        return (0..<classes).map(String.init)
    }
}
