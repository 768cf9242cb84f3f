import Foundation
import Testing
@testable import PredictRuntime

/// MatMul → Add(bias) → activation runs as one fused step with the same results, and is left
/// alone whenever an intermediate value is observable.
@Suite struct KernelFusionTests {
    private let x = Tensor(shape: [3, 2], floats: [1, -2, 0.5, 4, -3, 1])
    private let w = Tensor(shape: [2, 3], floats: [0.5, -1, 2, 1.5, 0.25, -0.5])
    private let b = Tensor(shape: [3], floats: [0.1, -0.2, 0.3])

    private func layerGraph(activation: String?, exposeSum: Bool = false, exposeProduct: Bool = false) -> GraphBuilder {
        var g = GraphBuilder(opsets: ["": 17])
        g.input("x", .float32, [nil, 2])
        g.initializer("w", w)
        g.initializer("b", b)
        g.node("MatMul", ["x", "w"], ["xw"], name: "mm")
        g.node("Add", ["xw", "b"], ["sum"], name: "add")
        if let activation {
            g.node(activation, ["sum"], ["y"], name: "act")
            g.output("y")
        } else {
            g.output("sum")
        }
        if exposeSum { g.output("sum") }
        if exposeProduct { g.output("xw") }
        return g
    }

    /// x · w + b computed directly, then the activation.
    private func expected(_ activation: (Float) -> Float) -> [Float] {
        let xs = x.floats!, ws = w.floats!, bs = b.floats!
        return (0..<3).flatMap { r in
            (0..<3).map { c in activation((0..<2).reduce(bs[c]) { $0 + xs[r * 2 + $1] * ws[$1 * 3 + c] }) }
        }
    }

    @Test func matMulAddReluBecomesOneStep() throws {
        let model = try layerGraph(activation: "Relu").load()
        #expect(model.plan.stepNames == ["mm+add"])
        let y = try model.run([x])[0]
        #expect(y.shape == [3, 3])
        #expect(zip(y.floats!, expected { max($0, 0) }).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func matMulAddWithoutActivationIsFusedToo() throws {
        let model = try layerGraph(activation: nil).load()
        #expect(model.plan.stepNames.count == 1)
        let y = try model.run([x])[0]
        #expect(zip(y.floats!, expected { $0 }).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func sigmoidIsFusedAndSaturates() throws {
        let model = try layerGraph(activation: "Sigmoid").load()
        #expect(model.plan.stepNames.count == 1)
        let y = try model.run([x])[0]
        #expect(zip(y.floats!, expected { 1 / (1 + expf(-$0)) }).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func activationStaysSeparateWhenThePreActivationIsAnOutput() throws {
        let model = try layerGraph(activation: "Relu", exposeSum: true).load()
        #expect(model.plan.stepNames == ["mm+add", "act"])
        let outputs = try model.run([x])
        #expect(zip(outputs[0].floats!, expected { max($0, 0) }).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(zip(outputs[1].floats!, expected { $0 }).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func nothingFusesWhenTheProductIsAnOutput() throws {
        let model = try layerGraph(activation: "Relu", exposeProduct: true).load()
        #expect(model.plan.stepNames == ["mm", "add", "act"])
        #expect(try model.run([x]).count == 2)
    }

    @Test func fusedLayerStillRejectsAWrongFeatureCount() throws {
        var g = layerGraph(activation: "Relu")
        g.model.graph.input[0].type.tensorType.shape.dim[1].value = nil
        let model = try g.load()
        let error = runtimeError { _ = try model.run([Tensor(shape: [1, 3], floats: [1, 2, 3])]) }
        #expect(error?.kind == .invalidInput)
    }
}
