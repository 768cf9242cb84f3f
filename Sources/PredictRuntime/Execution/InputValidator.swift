/// Checks a call's tensors against the model's declared inputs before anything runs: count,
/// datatype, rank, fixed dimensions, and that a named dynamic dimension has the same size in
/// every input. An unnamed dynamic first dimension is the batch size (what exporters write for
/// `None`), so it too must agree across inputs.
enum InputValidator {
    static func validate(_ values: [Tensor], against inputs: [TensorInfo]) throws {
        guard values.count == inputs.count else {
            throw RuntimeError.invalidInput("expected \(inputs.count) input\(inputs.count == 1 ? "" : "s") (\(InferenceModel.describe(inputs))), got \(values.count)")
        }
        var symbols: [String: (size: Int, input: String)] = [:]
        for (value, info) in zip(values, inputs) {
            guard value.elementType == info.elementType else {
                throw RuntimeError.invalidInput("input '\(info.name)' has datatype \(value.elementType.rawValue); the model expects \(info.elementType.rawValue)")
            }
            guard let declared = info.shape else { continue }
            guard value.rank == declared.count else {
                throw RuntimeError.invalidInput("input '\(info.name)' has shape \(value.shape); the model expects rank \(declared.count) \(info.shapeDescription)")
            }
            guard value.count > 0 else {
                throw RuntimeError.invalidInput("input '\(info.name)' has shape \(value.shape) and no elements; send at least one row")
            }
            for (axis, (size, dim)) in zip(value.shape, declared).enumerated() {
                switch dim {
                case .fixed(let expected) where expected != size:
                    throw RuntimeError.invalidInput("input '\(info.name)' has shape \(value.shape); the model expects \(info.shapeDescription) (dimension \(axis) must be \(expected))")
                case .dynamic(let declaredName):
                    guard let name = declaredName ?? (axis == 0 ? "batch size" : nil) else { continue }
                    if let seen = symbols[name], seen.size != size {
                        throw RuntimeError.invalidInput("input '\(info.name)' has \(size) in dimension \(axis) ('\(name)') but input '\(seen.input)' has \(seen.size)")
                    }
                    symbols[name] = (size, info.name)
                default:
                    break
                }
            }
        }
    }
}
