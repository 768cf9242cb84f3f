import Testing
@testable import PredictRuntime

/// A call whose inputs do not fit the model gets `invalidInput` saying what was expected and
/// what came, and nothing runs.
@Suite struct InputValidationTests {
    private let model: InferenceModel = {
        var g = GraphBuilder(opsets: ["": 17])
        g.input("x", .float32, [nil, 3])
        g.input("k", .int64, [nil, 1])
        g.node("Relu", ["x"], ["y"])
        g.node("Identity", ["k"], ["kk"])
        g.output("y")
        g.output("kk")
        return try! g.load()
    }()

    private func call(_ x: Tensor, _ k: Tensor = Tensor(shape: [2, 1], int64s: [1, 2])) -> RuntimeError? {
        runtimeError { _ = try model.run(["x": x, "k": k]) }
    }

    @Test func wrongDatatypeNamesBoth() {
        let error = call(Tensor(shape: [2, 3], doubles: Array(repeating: 0, count: 6)))
        #expect(error?.kind == .invalidInput)
        #expect(error?.message.contains("FP64") == true)
        #expect(error?.message.contains("FP32") == true)
    }

    @Test func wrongFeatureCountNamesTheDimension() {
        let error = call(Tensor(shape: [2, 4], floats: Array(repeating: 0, count: 8)))
        #expect(error?.kind == .invalidInput)
        #expect(error?.message.contains("dimension 1 must be 3") == true)
    }

    @Test func wrongRankIsRejected() {
        let error = call(Tensor(shape: [6], floats: Array(repeating: 0, count: 6)))
        #expect(error?.kind == .invalidInput)
        #expect(error?.message.contains("rank 2") == true)
    }

    @Test func batchSizesMustAgreeAcrossInputs() {
        let error = call(Tensor(shape: [3, 3], floats: Array(repeating: 0, count: 9)))
        #expect(error?.kind == .invalidInput)
        #expect(error?.message.contains("'N'") == true)
    }

    @Test func emptyBatchIsRejected() {
        let error = call(Tensor(shape: [0, 3], floats: []), Tensor(shape: [0, 1], int64s: []))
        #expect(error?.kind == .invalidInput)
    }

    @Test func missingAndUnknownInputsAreNamed() {
        let missing = runtimeError { _ = try model.run(["x": Tensor(shape: [1, 3], floats: [0, 0, 0])]) }
        #expect(missing?.message.contains("missing input 'k'") == true)
        let unknown = runtimeError { _ = try model.run(["x": Tensor(shape: [1, 3], floats: [0, 0, 0]), "k": Tensor(shape: [1, 1], int64s: [0]), "z": Tensor(shape: [1], floats: [0])]) }
        #expect(unknown?.message.contains("unknown input 'z'") == true)
    }

    @Test func validCallRuns() throws {
        let out = try model.run(["x": Tensor(shape: [2, 3], floats: [-1, 0, 1, 2, -3, 4]), "k": Tensor(shape: [2, 1], int64s: [7, 8])])
        #expect(out["y"]?.floats == [0, 0, 1, 2, 0, 4])
        #expect(out["kk"]?.int64s == [7, 8])
    }
}
