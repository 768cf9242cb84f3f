import Foundation
import Testing
@testable import PredictRuntime

/// Load-time validation: a model that cannot be run correctly never loads, and the error names
/// the node, the operator and the opset.
@Suite struct ModelLoadingTests {
    private func reluGraph(opset: Int64 = 17) -> GraphBuilder {
        var g = GraphBuilder(opsets: ["": opset])
        g.input("x", .float32, [nil, 3])
        g.node("Relu", ["x"], ["y"], name: "act")
        g.output("y", .float32)
        return g
    }

    @Test func bytesThatAreNotProtobufAreAnInvalidModel() {
        let error = runtimeError { _ = try InferenceModel(serialized: Data([0xff, 0xff, 0xff, 0x0f, 0x01])) }
        #expect(error?.kind == .invalidModel)
    }

    @Test func unsupportedOperatorNamesNodeOperatorAndOpset() {
        var g = GraphBuilder(opsets: ["": 17])
        g.input("x", .float32, [nil, 3])
        g.node("Conv", ["x"], ["y"], name: "conv1")
        g.output("y")
        let error = runtimeError { _ = try g.load() }
        #expect(error?.kind == .unsupported)
        #expect(error?.message.contains("node 'conv1'") == true)
        #expect(error?.message.contains("Conv") == true)
        #expect(error?.message.contains("opset 17") == true)
    }

    @Test func unknownAttributeIsRejectedByName() {
        var g = reluGraph()
        g.model.graph.node[0].attribute = [Attr.int("mystery", 1)]
        let error = runtimeError { _ = try g.load() }
        #expect(error?.kind == .unsupported)
        #expect(error?.message.contains("'mystery'") == true)
        #expect(error?.message.contains("node 'act'") == true)
    }

    @Test func attributeOfTheWrongTypeIsAnInvalidModel() {
        var g = GraphBuilder(opsets: ["": 17])
        g.input("x", .float32, [nil, 3])
        g.node("Softmax", ["x"], ["y"], attributes: [Attr.float("axis", 1)])
        g.output("y")
        #expect(runtimeError { _ = try g.load() }?.kind == .invalidModel)
    }

    @Test func opsetNewerThanKnownIsRefused() {
        let error = runtimeError { _ = try reluGraph(opset: 99).load() }
        #expect(error?.kind == .unsupported)
        #expect(error?.message.contains("opset 99") == true)
    }

    @Test func unimportedDomainIsAnInvalidModel() {
        var g = GraphBuilder(opsets: ["": 17])
        g.input("x", .float32, [nil, 3])
        g.node("Scaler", ["x"], ["y"], domain: "ai.onnx.ml")
        g.output("y")
        #expect(runtimeError { _ = try g.load() }?.kind == .invalidModel)
    }

    @Test func unknownDomainIsUnsupported() {
        var g = GraphBuilder(opsets: ["": 17, "com.microsoft": 1])
        g.input("x", .float32, [nil, 3])
        g.node("FusedGemm", ["x"], ["y"], domain: "com.microsoft")
        g.output("y")
        let error = runtimeError { _ = try g.load() }
        #expect(error?.kind == .unsupported)
        #expect(error?.message.contains("com.microsoft") == true)
    }

    @Test func undefinedValueIsAnInvalidModel() {
        var g = reluGraph()
        g.model.graph.node[0].input = ["nowhere"]
        let error = runtimeError { _ = try g.load() }
        #expect(error?.kind == .invalidModel)
        #expect(error?.message.contains("'nowhere'") == true)
    }

    @Test func cycleIsAnInvalidModel() {
        var g = GraphBuilder(opsets: ["": 17])
        g.input("x", .float32, [nil, 3])
        g.node("Add", ["x", "b"], ["a"])
        g.node("Relu", ["a"], ["b"])
        g.output("b")
        let error = runtimeError { _ = try g.load() }
        #expect(error?.kind == .invalidModel)
        #expect(error?.message.contains("cycle") == true)
    }

    @Test func valueProducedTwiceIsAnInvalidModel() {
        var g = reluGraph()
        g.node("Abs", ["x"], ["y"])
        #expect(runtimeError { _ = try g.load() }?.kind == .invalidModel)
    }

    @Test func outputNobodyProducesIsAnInvalidModel() {
        var g = reluGraph()
        g.output("ghost")
        #expect(runtimeError { _ = try g.load() }?.message.contains("'ghost'") == true)
    }

    @Test func nodesOutOfOrderAreSortedAndRun() throws {
        var g = GraphBuilder(opsets: ["": 17])
        g.input("x", .float32, [nil, 2])
        g.node("Abs", ["a"], ["y"])
        g.node("Relu", ["x"], ["a"])
        g.output("y")
        let model = try g.load()
        let out = try model.run(["x": Tensor(shape: [1, 2], floats: [-1, 2])])
        #expect(out["y"]?.floats == [0, 2])
    }

    @Test func rawDataOfTheWrongSizeIsAnInvalidModel() {
        var g = reluGraph()
        var t = Onnx_TensorProto()
        t.name = "w"
        t.dataType = 1
        t.dims = [3]
        t.rawData = Data(count: 8)
        g.model.graph.initializer.append(t)
        g.node("Add", ["y", "w"], ["z"])
        g.output("z")
        let error = runtimeError { _ = try g.load() }
        #expect(error?.kind == .invalidModel)
        #expect(error?.message.contains("initializer 'w'") == true)
    }

    @Test func rawDataInitializersDecodeLittleEndian() throws {
        var g = reluGraph()
        var t = Onnx_TensorProto()
        t.name = "w"
        t.dataType = 1
        t.dims = [3]
        t.rawData = [Float(1.5), -2, 0.25].withUnsafeBytes { Data($0) }
        g.model.graph.initializer.append(t)
        g.node("Add", ["y", "w"], ["z"])
        g.output("z")
        let out = try g.load().run(["x": Tensor(shape: [1, 3], floats: [1, 1, -1])])
        #expect(out["z"]?.floats == [2.5, -1, 0.25])
    }

    @Test func externalDataIsRefusedClearly() {
        var g = reluGraph()
        var t = Onnx_TensorProto()
        t.name = "w"
        t.dataType = 1
        t.dims = [3]
        t.dataLocation = .external
        g.model.graph.initializer.append(t)
        g.node("Add", ["y", "w"], ["z"])
        g.output("z")
        let error = runtimeError { _ = try g.load() }
        #expect(error?.kind == .unsupported)
        #expect(error?.message.contains("external") == true)
    }

    @Test func float16InputIsUnsupported() {
        var g = reluGraph()
        g.model.graph.input[0].type.tensorType.elemType = 10
        let error = runtimeError { _ = try g.load() }
        #expect(error?.kind == .unsupported)
        #expect(error?.message.contains("FLOAT16") == true)
    }

    @Test func initializersListedAsInputsAreNotCallInputs() throws {
        var g = GraphBuilder(opsets: ["": 9], irVersion: 3)
        g.input("x", .float32, [nil, 2])
        g.model.graph.input.append(GraphBuilder.valueInfo("w", .float32, [2]))
        g.initializer("w", Tensor(shape: [2], floats: [10, 20]))
        g.node("Add", ["x", "w"], ["y"])
        g.output("y")
        let model = try g.load()
        #expect(model.inputs.map(\.name) == ["x"])
        #expect(try model.run(["x": Tensor(shape: [1, 2], floats: [1, 2])])["y"]?.floats == [11, 22])
    }

    @Test func declaredOutputTypeMustMatchComputedType() {
        var g = GraphBuilder(opsets: ["": 17])
        g.input("x", .float32, [nil, 2])
        g.node("Relu", ["x"], ["y"])
        g.output("y", .int64)
        #expect(runtimeError { _ = try g.load() }?.kind == .invalidModel)
    }

    @Test func metadataReportsInputsAndComputedOutputTypes() throws {
        var g = GraphBuilder(opsets: ["": 17])
        g.input("x", .float32, [nil, 4])
        g.initializer("w", Tensor(shape: [4, 3], floats: Array(repeating: 1, count: 12)))
        g.node("MatMul", ["x", "w"], ["y"])
        g.output("y")
        let model = try g.load()
        #expect(model.inputs == [TensorInfo(name: "x", elementType: .float32, shape: [.dynamic(name: "N"), .fixed(4)])])
        #expect(model.outputs.first?.elementType == .float32)
        #expect(model.outputs.first?.shape == [.dynamic(name: "N"), .fixed(3)])
    }
}
