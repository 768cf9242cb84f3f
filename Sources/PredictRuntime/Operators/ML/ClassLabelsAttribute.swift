/// Reading a classifier's class labels from its attributes: an integer list
/// (`classlabels_ints` for linear and SVM classifiers, `classlabels_int64s` for ZipMap and
/// trees) or `classlabels_strings`. An empty list counts as absent, as in onnxruntime.
enum ClassLabelsAttribute {
    /// The labels, or nil when the node has neither list. Both lists at once is invalid.
    static func read(_ context: NodeContext, ints intsName: String, strings stringsName: String = "classlabels_strings") throws -> ClassLabels? {
        let ints = try context.attributes.ints(intsName) ?? []
        let strings = try context.attributes.strings(stringsName) ?? []
        switch (ints.isEmpty, strings.isEmpty) {
        case (false, false):
            throw context.invalid("attributes '\(intsName)' and '\(stringsName)' are both set; a classifier has one kind of label")
        case (false, true):
            return .int64(ints)
        case (true, false):
            return .string(strings)
        case (true, true):
            return nil
        }
    }

    /// Like `read`, but one of the lists is required.
    static func require(_ context: NodeContext, ints intsName: String, strings stringsName: String = "classlabels_strings") throws -> ClassLabels {
        guard let labels = try read(context, ints: intsName, strings: stringsName) else {
            throw context.invalid("attribute '\(intsName)' or '\(stringsName)' is required")
        }
        return labels
    }
}

extension ClassLabels {
    /// A [count] tensor holding the label of each class index in `indices`.
    func labelTensor(_ indices: [Int]) -> Tensor {
        switch self {
        case .int64(let labels): Tensor(shape: [indices.count], int64s: indices.map { labels[$0] })
        case .string(let labels): Tensor(shape: [indices.count], strings: indices.map { labels[$0] })
        }
    }
}
