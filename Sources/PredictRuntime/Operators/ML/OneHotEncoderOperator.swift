/// ai.onnx.ml OneHotEncoder: each input element becomes K float32 values, 1 at the index of its
/// category in `cats_int64s` or `cats_strings` and 0 elsewhere; the output shape is the input
/// shape with K appended ([N, 1] gives [N, 1, K]).
///
/// As in onnxruntime: numeric inputs are converted to int64 by truncation toward zero (NaN and
/// out-of-range values to Int64.min, as x86 does); a category listed twice maps to its last
/// position; an input whose kind differs from the categories' matches nothing; an unknown
/// category gives zeros when `zeros` = 1 and an error otherwise.
enum OneHotEncoderOperator {
    static func compile(_ context: NodeContext) throws -> CompiledNode {
        try context.expectInputs(1...1)
        try context.expectOutputs(1...1)
        let ints = try context.attributes.ints("cats_int64s") ?? []
        let strings = try context.attributes.strings("cats_strings") ?? []
        guard ints.isEmpty != strings.isEmpty else {
            throw context.invalid(ints.isEmpty
                ? "attribute 'cats_int64s' or 'cats_strings' is required"
                : "attributes 'cats_int64s' and 'cats_strings' are both set; exactly one is allowed")
        }
        let zeros = try context.attributes.int("zeros", default: 1)
        let input = try context.input(0, of: [.int64, .int32, .float32, .float64, .string])
        let kernel = OneHotEncoderKernel(
            node: context.description,
            intCategories: Dictionary(ints.enumerated().map { ($1, $0) }, uniquingKeysWith: { $1 }),
            stringCategories: Dictionary(strings.enumerated().map { ($1, $0) }, uniquingKeysWith: { $1 }),
            categoryCount: ints.count + strings.count,
            unknownGivesZeros: zeros != 0)
        return CompiledNode(kernel: kernel, outputs: [
            OutputType(elementType: .float32, shape: input.shape.map { $0 + [.fixed(ints.count + strings.count)] }),
        ])
    }
}

struct OneHotEncoderKernel: Kernel {
    let node: String
    let intCategories: [Int64: Int]
    let stringCategories: [String: Int]
    let categoryCount: Int
    let unknownGivesZeros: Bool

    func run(_ inputs: [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0)
        var out = [Float](repeating: 0, count: x.count * categoryCount)
        func encode<T>(_ values: [T], _ lookup: (T) -> Int?) throws {
            for (i, value) in values.enumerated() {
                if let position = lookup(value) {
                    out[i * categoryCount + position] = 1
                } else if !unknownGivesZeros {
                    throw RuntimeError.invalidInput("\(node): element \(i) of the input is not one of the known categories and attribute 'zeros' is 0")
                }
            }
        }
        switch x.storage {
        case .int64(let v): try encode(v) { intCategories[$0] }
        case .int32(let v): try encode(v) { intCategories[Int64($0)] }
        case .float32(let v): try encode(v) { intCategories[Self.truncated(Double($0))] }
        case .float64(let v): try encode(v) { intCategories[Self.truncated($0)] }
        case .string(let v): try encode(v) { stringCategories[$0] }
        case .bool:
            throw RuntimeError.internalFailure("\(node): input of type BOOL reached OneHotEncoder")
        }
        return [Tensor(shape: x.shape + [categoryCount], floats: out)]
    }

    /// C++'s static_cast<int64_t> on x86: truncation toward zero, Int64.min when out of range.
    @inline(__always)
    static func truncated(_ x: Double) -> Int64 {
        guard x >= -0x1p63, x < 0x1p63 else { return .min }
        return Int64(x)
    }
}
