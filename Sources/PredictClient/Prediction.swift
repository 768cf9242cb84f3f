/// One row's answer from a classifier, as ``PredictClient/infer(model:version:rows:timeout:)``
/// returns it.
public struct Prediction: Sendable, Hashable {
    /// The predicted class: the model's label output when it has one, else the label of the
    /// most probable class.
    public var label: String
    /// The largest class probability. 1 when the model has no probability output (a hard
    /// classifier is taken at its word; `probabilities` is then empty).
    public var confidence: Float
    /// One probability per class, in `classLabels` order; empty when the model has no
    /// probability output.
    public var probabilities: [Float]
    /// The class of each probability column: the output's `class_labels`, else `"0"`, `"1"`, ….
    public var classLabels: [String]

    /// A prediction from its parts.
    public init(label: String, confidence: Float, probabilities: [Float], classLabels: [String]) {
        self.label = label
        self.confidence = confidence
        self.probabilities = probabilities
        self.classLabels = classLabels
    }
}
