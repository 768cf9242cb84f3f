import Foundation
import Testing
@testable import PredictRuntime

/// Default-domain operators against hand-computed results.
@Suite struct CoreOperatorTests {
    /// Runs a one-node graph whose inputs are all graph inputs (with the given shapes) or
    /// initializers, and returns its outputs.
    private func run(
        _ op: String, opset: Int64 = 17, inputs: [(String, Tensor)], constants: [(String, Tensor)] = [],
        attributes: [Onnx_AttributeProto] = [], outputs: Int = 1
    ) throws -> [Tensor] {
        var g = GraphBuilder(opsets: ["": opset])
        for (name, t) in inputs { g.input(name, t.elementType, t.shape.map { Optional($0) }) }
        for (name, t) in constants { g.initializer(name, t) }
        let names = (0..<outputs).map { "out\($0)" }
        g.node(op, inputs.map(\.0) + constants.map(\.0), names, attributes: attributes)
        names.forEach { g.output($0) }
        let model = try g.load()
        return try model.run(inputs.map(\.1))
    }

    /// Inputs given positionally with some names left empty (omitted optional inputs).
    private func runWiring(_ op: String, opset: Int64, x: Tensor, wiring: [String], constants: [(String, Tensor)]) throws -> Tensor {
        var g = GraphBuilder(opsets: ["": opset])
        g.input("x", x.elementType, x.shape.map { Optional($0) })
        for (name, t) in constants { g.initializer(name, t) }
        g.node(op, ["x"] + wiring, ["y"])
        g.output("y")
        return try g.load().run([x])[0]
    }

    @Test func addBroadcastsARowVector() throws {
        let y = try run("Add", inputs: [("a", Tensor(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6]))], constants: [("b", Tensor(shape: [3], floats: [10, 20, 30]))])
        #expect(y[0].shape == [2, 3])
        #expect(y[0].floats == [11, 22, 33, 14, 25, 36])
    }

    @Test func subBroadcastsBothWays() throws {
        let y = try run("Sub", inputs: [("a", Tensor(shape: [2, 1, 3], floats: [1, 2, 3, 4, 5, 6]))], constants: [("b", Tensor(shape: [2, 1], floats: [1, 10]))])
        #expect(y[0].shape == [2, 2, 3])
        #expect(y[0].floats == [0, 1, 2, -9, -8, -7, 3, 4, 5, -6, -5, -4])
    }

    @Test func incompatibleShapesAreAnInputError() {
        let error = runtimeError { _ = try run("Mul", inputs: [("a", Tensor(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6]))], constants: [("b", Tensor(shape: [2], floats: [1, 2]))]) }
        #expect(error?.kind == .invalidInput)
    }

    @Test func integerDivisionByZeroIsAnErrorNotACrash() {
        let error = runtimeError { _ = try run("Div", inputs: [("a", Tensor(shape: [2], int64s: [4, 5]))], constants: [("b", Tensor(shape: [2], int64s: [2, 0]))]) }
        #expect(error?.kind == .invalidInput)
    }

    @Test func integerDivisionTruncatesTowardZero() throws {
        let y = try run("Div", inputs: [("a", Tensor(shape: [3], int64s: [7, -7, Int64.min]))], constants: [("b", Tensor(shape: [3], int64s: [2, 2, -1]))])
        #expect(y[0].int64s == [3, -3, Int64.min])
    }

    @Test func matMulMatchesNaiveProduct() throws {
        let (n, k, m) = (5, 7, 3)
        let a = (0..<(n * k)).map { Float(($0 * 37) % 11) - 5 }
        let b = (0..<(k * m)).map { Float(($0 * 13) % 7) / 4 - 0.5 }
        let y = try run("MatMul", inputs: [("a", Tensor(shape: [n, k], floats: a))], constants: [("b", Tensor(shape: [k, m], floats: b))])
        var expected = [Float](repeating: 0, count: n * m)
        for i in 0..<n { for j in 0..<m { for p in 0..<k { expected[i * m + j] += a[i * k + p] * b[p * m + j] } } }
        #expect(y[0].shape == [n, m])
        #expect(zip(y[0].floats!, expected).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test func matMulPromotesVectorsAndBroadcastsBatches() throws {
        let v = try run("MatMul", inputs: [("a", Tensor(shape: [2], doubles: [1, 2]))], constants: [("b", Tensor(shape: [2, 2], doubles: [1, 2, 3, 4]))])
        #expect(v[0].shape == [2])
        #expect(v[0].doubles == [7, 10])
        let batched = try run("MatMul", inputs: [("a", Tensor(shape: [2, 1, 2], int64s: [1, 2, 3, 4]))], constants: [("b", Tensor(shape: [1, 2, 1], int64s: [10, 1]))])
        #expect(batched[0].shape == [2, 1, 1])
        #expect(batched[0].int64s == [12, 34])
    }

    @Test func gemmAppliesTransposesAlphaBetaAndBroadcastC() throws {
        // A^T is [[1,2],[3,4]] (A stored transposed), B^T is [[1,0],[0,1]].
        let y = try run("Gemm", inputs: [("a", Tensor(shape: [2, 2], floats: [1, 3, 2, 4]))],
                        constants: [("b", Tensor(shape: [2, 2], floats: [1, 0, 0, 1])), ("c", Tensor(shape: [2], floats: [10, 20]))],
                        attributes: [Attr.int("transA", 1), Attr.int("transB", 1), Attr.float("alpha", 2), Attr.float("beta", 0.5)])
        let expected: [Float] = [7, 14, 11, 18]  // 2·(A·B) + 0.5·[10, 20] per row
        #expect(y[0].floats == expected)
    }

    @Test func softmaxIsOverflowSafeAndSumsToOne() throws {
        let y = try run("Softmax", inputs: [("x", Tensor(shape: [2, 3], floats: [1000, 0, -1000, 1, 2, 3]))])
        let v = y[0].floats!
        #expect(v[0] == 1 && v[1] == 0 && v[2] == 0)
        #expect(abs(v[3...5].reduce(0, +) - 1) < 1e-6)
        #expect(v[3] < v[4] && v[4] < v[5])
    }

    @Test func softmaxBeforeOpset13FlattensTrailingAxes() throws {
        let x = Tensor(shape: [1, 2, 2], floats: [0, 0, 0, 0])
        let old = try run("Softmax", opset: 11, inputs: [("x", x)])
        #expect(old[0].floats == [0.25, 0.25, 0.25, 0.25])
        let new = try run("Softmax", opset: 13, inputs: [("x", x)])
        #expect(new[0].floats == [0.5, 0.5, 0.5, 0.5])
    }

    @Test func sigmoidReachesExactlyZeroAndOne() throws {
        let y = try run("Sigmoid", inputs: [("x", Tensor(shape: [3], floats: [-200, 0, 200]))])
        #expect(y[0].floats == [0, 0.5, 1])
    }

    @Test func activations() throws {
        let x = Tensor(shape: [4], floats: [-2, -0.5, 0, 3])
        #expect(try run("Relu", inputs: [("x", x)])[0].floats == [0, 0, 0, 3])
        #expect(try run("LeakyRelu", inputs: [("x", x)], attributes: [Attr.float("alpha", 0.1)])[0].floats == [-0.2, -0.05, 0, 3])
        #expect(try run("Abs", inputs: [("x", x)])[0].floats == [2, 0.5, 0, 3])
        #expect(try run("Tanh", inputs: [("x", x)])[0].floats == x.floats!.map { tanhf($0) })
        #expect(try run("Exp", inputs: [("x", x)])[0].floats == x.floats!.map { expf($0) })
        #expect(try run("Log", inputs: [("x", Tensor(shape: [2], doubles: [1, M_E]))])[0].doubles == [0, 1])
    }

    @Test func argMaxTakesFirstMaximumUnlessAskedForLast() throws {
        let x = Tensor(shape: [2, 3], floats: [1, 5, 5, 2, 2, 0])
        let first = try run("ArgMax", inputs: [("x", x)], attributes: [Attr.int("axis", 1)])
        #expect(first[0].shape == [2, 1])
        #expect(first[0].int64s == [1, 0])
        let last = try run("ArgMax", inputs: [("x", x)], attributes: [Attr.int("axis", -1), Attr.int("keepdims", 0), Attr.int("select_last_index", 1)])
        #expect(last[0].shape == [2])
        #expect(last[0].int64s == [2, 1])
    }

    @Test func reduceSumWithAxesAsAttributeAndAsInput() throws {
        let x = Tensor(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6])
        let old = try run("ReduceSum", opset: 11, inputs: [("x", x)], attributes: [Attr.ints("axes", [1]), Attr.int("keepdims", 0)])
        #expect(old[0].shape == [2])
        #expect(old[0].floats == [6, 15])
        let new = try run("ReduceSum", opset: 13, inputs: [("x", x)], constants: [("axes", Tensor(shape: [1], int64s: [0]))])
        #expect(new[0].shape == [1, 3])
        #expect(new[0].floats == [5, 7, 9])
        let all = try run("ReduceSum", opset: 13, inputs: [("x", x)], attributes: [Attr.int("keepdims", 0)])
        #expect(all[0].shape == [])
        #expect(all[0].floats == [21])
    }

    @Test func castTruncatesAndMapsNaNToMinimum() throws {
        let y = try run("Cast", inputs: [("x", Tensor(shape: [4], floats: [2.7, -2.7, .nan, 1e30]))], attributes: [Attr.int("to", 7)])
        #expect(y[0].int64s == [2, -2, Int64.min, Int64.min])
        let b = try run("Cast", inputs: [("x", Tensor(shape: [3], int64s: [0, 3, -1]))], attributes: [Attr.int("to", 9)])
        #expect(b[0].bools == [false, true, true])
        let d = try run("Cast", inputs: [("x", Tensor(shape: [1], floats: [0.1]))], attributes: [Attr.int("to", 11)])
        #expect(d[0].doubles == [Double(Float(0.1))])
    }

    @Test func castToStringIsRefusedAtLoad() {
        let error = runtimeError { _ = try run("Cast", inputs: [("x", Tensor(shape: [1], floats: [1]))], attributes: [Attr.int("to", 8)]) }
        #expect(error?.kind == .unsupported)
    }

    @Test func reshapeCopiesZeroAndInfersMinusOne() throws {
        let x = Tensor(shape: [2, 3, 2], floats: (0..<12).map(Float.init))
        let y = try run("Reshape", inputs: [("x", x)], constants: [("s", Tensor(shape: [2], int64s: [0, -1]))])
        #expect(y[0].shape == [2, 6])
        #expect(y[0].floats == x.floats)
        let bad = runtimeError { _ = try run("Reshape", inputs: [("x", x)], constants: [("s", Tensor(shape: [2], int64s: [5, -1]))]) }
        #expect(bad?.kind == .invalidInput)
    }

    @Test func flattenSqueezeUnsqueezeShape() throws {
        let x = Tensor(shape: [2, 1, 3], floats: (0..<6).map(Float.init))
        #expect(try run("Flatten", inputs: [("x", x)], attributes: [Attr.int("axis", 2)])[0].shape == [2, 3])
        #expect(try run("Squeeze", opset: 11, inputs: [("x", x)], attributes: [Attr.ints("axes", [1])])[0].shape == [2, 3])
        #expect(try run("Squeeze", opset: 13, inputs: [("x", x)])[0].shape == [2, 3])
        #expect(try run("Unsqueeze", opset: 13, inputs: [("x", x)], constants: [("a", Tensor(shape: [2], int64s: [0, -1]))])[0].shape == [1, 2, 1, 3, 1])
        #expect(try run("Unsqueeze", opset: 11, inputs: [("x", x)], attributes: [Attr.ints("axes", [1])])[0].shape == [2, 1, 1, 3])
        #expect(try run("Shape", inputs: [("x", x)])[0].int64s == [2, 1, 3])
        #expect(try run("Shape", opset: 15, inputs: [("x", x)], attributes: [Attr.int("start", -2)])[0].int64s == [1, 3])
        let bad = runtimeError { _ = try run("Squeeze", opset: 11, inputs: [("x", x)], attributes: [Attr.ints("axes", [0])]) }
        #expect(bad?.kind == .invalidInput)
    }

    @Test func concatAlongColumns() throws {
        let y = try run("Concat", inputs: [("a", Tensor(shape: [2, 1], floats: [1, 2]))], constants: [("b", Tensor(shape: [2, 2], floats: [3, 4, 5, 6]))], attributes: [Attr.int("axis", -1)])
        #expect(y[0].shape == [2, 3])
        #expect(y[0].floats == [1, 3, 4, 2, 5, 6])
    }

    @Test func gatherWithNegativeIndicesAndRangeCheck() throws {
        let data = Tensor(shape: [2, 3], strings: ["a", "b", "c", "d", "e", "f"])
        let y = try run("Gather", inputs: [("d", data)], constants: [("i", Tensor(shape: [2], int64s: [-1, 0]))], attributes: [Attr.int("axis", 1)])
        #expect(y[0].shape == [2, 2])
        #expect(y[0].strings == ["c", "a", "f", "d"])
        let bad = runtimeError { _ = try run("Gather", inputs: [("d", data)], constants: [("i", Tensor(shape: [1], int64s: [3]))], attributes: [Attr.int("axis", 1)]) }
        #expect(bad?.kind == .invalidInput)
    }

    @Test func clipWithAttributesAndWithOptionalInputs() throws {
        let x = Tensor(shape: [4], floats: [-5, 0.5, 2, 9])
        #expect(try run("Clip", opset: 6, inputs: [("x", x)], attributes: [Attr.float("min", 0), Attr.float("max", 1)])[0].floats == [0, 0.5, 1, 1])
        let onlyMax = try runWiring("Clip", opset: 13, x: x, wiring: ["", "hi"], constants: [("hi", Tensor(shape: [], floats: [1]))])
        #expect(onlyMax.floats == [-5, 0.5, 1, 1])
    }
}
