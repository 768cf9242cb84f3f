/// Checks a call's tensors against the model's declared inputs before anything runs: count,
/// datatype, rank, fixed dimensions, and that a named dynamic dimension has the same size in
/// every input. An unnamed dynamic first dimension is the batch size (what exporters write for
/// `None`), so it too must agree across inputs. Built once at load; a call allocates nothing.
struct InputValidator: Sendable {
    private let inputs: [TensorInfo]
    /// For each input and axis, the index of its dimension symbol in `symbols`, if any.
    private let symbolIndex: [[Int?]]
    private let symbols: [String]

    init(_ inputs: [TensorInfo]) {
        var symbols: [String] = []
        self.symbolIndex = inputs.map { info in
            (info.shape ?? []).enumerated().map { axis, dim -> Int? in
                guard case .dynamic(let declared) = dim, let name = declared ?? (axis == 0 ? "batch size" : nil) else { return nil }
                if let i = symbols.firstIndex(of: name) { return i }
                symbols.append(name)
                return symbols.count - 1
            }
        }
        self.symbols = symbols
        self.inputs = inputs
    }

    func validate(_ values: [Tensor]) throws {
        guard values.count == inputs.count else {
            throw RuntimeError.invalidInput("expected \(inputs.count) input\(inputs.count == 1 ? "" : "s") (\(InferenceModel.describe(inputs))), got \(values.count)")
        }
        // The size each symbol took first, and in which input (-1: not seen yet).
        try withUnsafeTemporaryAllocation(of: (size: Int, input: Int).self, capacity: symbols.count) { seen in
            seen.initialize(repeating: (0, -1))
            for (i, (value, info)) in zip(values, inputs).enumerated() {
                try check(value, info)
                for (axis, symbol) in symbolIndex[i].enumerated() {
                    guard let symbol else { continue }
                    let size = value.shape[axis]
                    if seen[symbol].input < 0 {
                        seen[symbol] = (size, i)
                    } else if seen[symbol].size != size {
                        throw RuntimeError.invalidInput("input '\(info.name)' has \(size) in dimension \(axis) ('\(symbols[symbol])') but input '\(inputs[seen[symbol].input].name)' has \(seen[symbol].size)")
                    }
                }
            }
        }
    }

    private func check(_ value: Tensor, _ info: TensorInfo) throws {
        guard value.elementType == info.elementType else {
            throw RuntimeError.invalidInput("input '\(info.name)' has datatype \(value.elementType.rawValue); the model expects \(info.elementType.rawValue)")
        }
        guard let declared = info.shape else { return }
        guard value.rank == declared.count else {
            throw RuntimeError.invalidInput("input '\(info.name)' has shape \(value.shape); the model expects rank \(declared.count) \(info.shapeDescription)")
        }
        guard value.count > 0 else {
            throw RuntimeError.invalidInput("input '\(info.name)' has shape \(value.shape) and no elements; send at least one row")
        }
        for (axis, (size, dim)) in zip(value.shape, declared).enumerated() {
            if case .fixed(let expected) = dim, expected != size {
                throw RuntimeError.invalidInput("input '\(info.name)' has shape \(value.shape); the model expects \(info.shapeDescription) (dimension \(axis) must be \(expected))")
            }
        }
    }
}
