import Foundation
import SwiftProtobuf
import Testing
@testable import PredictRuntime

@Suite("Tree edge-case fixtures")
struct TreeEnsembleFixtureTests {
    @Test func everyRuleHasAFixture() {
        let names = Set(Fixture.treeEdgeCases.map(\.name))
        for required in ["mode-leq", "mode-lt", "mode-gte", "mode-gt", "mode-eq", "mode-neq", "mode-leq-missing-true",
                         "mode-mixed", "eq-chain", "binary-positive-none", "binary-mixed-logistic", "binary-strings",
                         "multiclass-softmax", "regressor-sum", "regressor-average", "regressor-min", "regressor-max",
                         "regressor-probit", "classifier-as-tensor-double", "te5-post-none", "te5-members", "te5-double"] {
            #expect(names.contains(required), "missing tree fixture \(required); run scripts/make-tree-edge-fixtures.py")
        }
    }

    @Test func classifierOutputsCarryTheirClassLabels() throws {
        let model = try InferenceModel(contentsOf: Fixture.root.appendingPathComponent("trees/multiclass-strings-base.onnx"))
        #expect(model.outputs.map(\.elementType) == [.string, .float32])
        #expect(model.outputs[1].classLabels == .string(["a", "b", "c"]))
        #expect(model.outputs[1].shape == [.dynamic(name: nil), .fixed(3)])
    }

    @Test func batchesGiveTheSameRowsAsSingleRows() throws {
        let fixture = try #require(Fixture.treeEdgeCases.first { $0.name == "random-ordered-regressor" })
        let model = try InferenceModel(contentsOf: fixture.modelURL)
        let input = fixture.inputs()["X"]!
        let whole = try model.run(["X": input])["Y"]!
        let features = input.shape[1]
        let values = try #require(input.floats)
        for row in [0, 1, 63, 64, 65, 299] {
            let single = Tensor(shape: [1, features], floats: Array(values[(row * features)..<((row + 1) * features)]))
            let y = try model.run(["X": single])["Y"]!
            #expect(y.floats! == [whole.floats![row]], "row \(row)")
        }
    }
}

@Suite("Tree ensemble load and input errors")
struct TreeEnsembleErrorTests {
    @Test func childIdThatDoesNotExistIsRejectedNamingTheNode() {
        var model = TreeModel.stump()
        model.set(.ints("nodes_truenodeids", [7, 0, 0]))
        expectLoadError(model, .invalidModel, mentions: ["nodes_truenodeids", "tree 0 node 0", "node 7"])
    }

    @Test func unknownModeIsRejected() {
        var model = TreeModel.stump()
        model.set(.strings("nodes_modes", ["BRANCH_SOMETIMES", "LEAF", "LEAF"]))
        expectLoadError(model, .invalidModel, mentions: ["nodes_modes", "BRANCH_SOMETIMES", "tree 0 node 0"])
    }

    @Test func listsOfDifferentLengthsAreRejected() {
        var model = TreeModel.stump()
        model.set(.ints("nodes_featureids", [0, 0]))
        expectLoadError(model, .invalidModel, mentions: ["nodes_featureids", "2 entries", "3"])
    }

    @Test func unknownAttributeIsUnsupported() {
        var model = TreeModel.stump()
        model.set(.ints("nodes_extra_wisdom", [1]))
        expectLoadError(model, .unsupported, mentions: ["nodes_extra_wisdom"])
    }

    @Test func cycleIsRejected() {
        var model = TreeModel.stump()
        model.set(.strings("nodes_modes", ["BRANCH_LEQ", "BRANCH_LEQ", "LEAF"]))
        model.set(.ints("nodes_truenodeids", [1, 0, 0]))
        model.set(.ints("nodes_falsenodeids", [2, 2, 0]))
        expectLoadError(model, .invalidModel, mentions: ["cycle", "tree 0 node 1"])
    }

    @Test func featureBeyondTheDeclaredInputIsRejected() {
        var model = TreeModel.stump()
        model.set(.ints("nodes_featureids", [5, 0, 0]))
        expectLoadError(model, .invalidModel, mentions: ["nodes_featureids", "feature 5", "2 features"])
    }

    @Test func targetOutOfRangeIsRejected() {
        var model = TreeModel.stump()
        model.set(.ints("target_ids", [0, 1]))
        expectLoadError(model, .invalidModel, mentions: ["target_ids", "entry 1"])
    }

    @Test func tensorThresholdsOfAnotherTypeThanTheInputAreRejected() {
        var model = TreeModel.stump()
        model.remove("nodes_values")
        model.set(.tensor("nodes_values_as_tensor", doubles: [0.5, 0, 0]))
        expectLoadError(model, .invalidModel, mentions: ["nodes_values_as_tensor", "FP64", "FP32"])
    }

    @Test func missingTargetCountIsRejected() {
        var model = TreeModel.stump()
        model.remove("n_targets")
        expectLoadError(model, .invalidModel, mentions: ["n_targets"])
    }

    @Test func opsetFiveUnknownModeCodeIsRejected() {
        var model = TreeModel.opsetFive()
        model.set(.tensor("nodes_modes", uint8s: [9]))
        expectLoadError(model, .invalidModel, mentions: ["nodes_modes", "node 0", "9"])
    }

    @Test func opsetFiveLeafOutOfRangeIsRejected() {
        var model = TreeModel.opsetFive()
        model.set(.ints("nodes_falsenodeids", [4]))
        expectLoadError(model, .invalidModel, mentions: ["nodes_falsenodeids", "node 0", "leaf 4"])
    }

    @Test func opsetFiveBigMembershipSetMustHoldIntegers() {
        var model = TreeModel.opsetFive()
        model.set(.tensor("nodes_modes", uint8s: [6]))
        model.set(.tensor("membership_values", floats: [2.5, 40]))
        expectLoadError(model, .unsupported, mentions: ["membership_values", "node 0", "2.5"])
    }

    @Test func opsetFiveRunsOnTheMinimalModel() throws {
        let loaded = try InferenceModel(serialized: TreeModel.opsetFive().serialized())
        let y = try loaded.run(["X": Tensor(shape: [2, 2], floats: [0, 0, 1, 1])])["Y"]!
        #expect(y.floats == [1, 2])
    }

    @Test func tooFewFeaturesAtRunTimeIsAnInputError() throws {
        var model = TreeModel.stump()
        model.features = nil
        model.set(.ints("nodes_featureids", [2, 0, 0]))
        let loaded = try InferenceModel(serialized: model.serialized())
        #expect(throws: RuntimeError.self) { try loaded.run(["X": Tensor(shape: [1, 2], floats: [0, 0])]) }
        do {
            _ = try loaded.run(["X": Tensor(shape: [1, 2], floats: [0, 0])])
        } catch let error as RuntimeError {
            #expect(error.kind == .invalidInput)
            #expect(error.message.contains("expected 3 features, got 2"), "\(error.message)")
        }
        // More features than the trees read is fine, as in onnxruntime.
        let y = try loaded.run(["X": Tensor(shape: [1, 4], floats: [0, 9, 0, 9])])["Y"]!
        #expect(y.floats == [-2])
    }

    private func expectLoadError(_ model: TreeModel, _ kind: RuntimeError.Kind, mentions: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try InferenceModel(serialized: model.serialized())
            Issue.record("the model loaded", sourceLocation: sourceLocation)
        } catch let error as RuntimeError {
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
            for text in mentions {
                #expect(error.message.contains(text), "'\(text)' not in: \(error.message)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }
}

/// A one-node tree model built in code, for the error cases.
struct TreeModel {
    var opType: String
    var opset: Int64
    var features: Int64? = 2
    var attributes: [Onnx_AttributeProto]

    /// x0 <= 0.5 ? -2 : 3, as a TreeEnsembleRegressor (opset 3).
    static func stump() -> TreeModel {
        TreeModel(opType: "TreeEnsembleRegressor", opset: 3, attributes: [
            .ints("nodes_treeids", [0, 0, 0]), .ints("nodes_nodeids", [0, 1, 2]), .ints("nodes_featureids", [0, 0, 0]),
            .strings("nodes_modes", ["BRANCH_LEQ", "LEAF", "LEAF"]), .floats("nodes_values", [0.5, 0, 0]),
            .ints("nodes_truenodeids", [1, 0, 0]), .ints("nodes_falsenodeids", [2, 0, 0]),
            .ints("target_treeids", [0, 0]), .ints("target_nodeids", [1, 2]), .ints("target_ids", [0, 0]),
            .floats("target_weights", [-2, 3]), .int("n_targets", 1),
        ])
    }

    /// x1 <= 0.5 ? leaf 0 (1) : leaf 1 (2), as a TreeEnsemble (opset 5).
    static func opsetFive() -> TreeModel {
        TreeModel(opType: "TreeEnsemble", opset: 5, attributes: [
            .int("n_targets", 1), .ints("tree_roots", [0]), .tensor("nodes_modes", uint8s: [0]),
            .ints("nodes_featureids", [1]), .tensor("nodes_splits", floats: [0.5]),
            .ints("nodes_truenodeids", [0]), .ints("nodes_trueleafs", [1]),
            .ints("nodes_falsenodeids", [1]), .ints("nodes_falseleafs", [1]),
            .ints("leaf_targetids", [0, 0]), .tensor("leaf_weights", floats: [1, 2]),
        ])
    }

    mutating func set(_ attribute: Onnx_AttributeProto) {
        remove(attribute.name)
        attributes.append(attribute)
    }

    mutating func remove(_ name: String) {
        attributes.removeAll { $0.name == name }
    }

    func serialized() throws -> Data {
        var node = Onnx_NodeProto()
        node.opType = opType
        node.domain = "ai.onnx.ml"
        node.name = "trees"
        node.input = ["X"]
        node.output = ["Y"]
        node.attribute = attributes

        var input = Onnx_ValueInfoProto()
        input.name = "X"
        input.type.tensorType.elemType = 1
        var batch = Onnx_TensorShapeProto.Dimension()
        batch.dimParam = "N"
        var width = Onnx_TensorShapeProto.Dimension()
        if let features { width.dimValue = features }
        input.type.tensorType.shape.dim = [batch, width]
        var output = Onnx_ValueInfoProto()
        output.name = "Y"
        output.type.tensorType.elemType = 1

        var model = Onnx_ModelProto()
        model.irVersion = 9
        var ml = Onnx_OperatorSetIdProto()
        ml.domain = "ai.onnx.ml"
        ml.version = opset
        var core = Onnx_OperatorSetIdProto()
        core.version = 17
        model.opsetImport = [core, ml]
        model.graph.name = "tree"
        model.graph.node = [node]
        model.graph.input = [input]
        model.graph.output = [output]
        return try model.serializedBytes()
    }
}

extension Onnx_AttributeProto {
    static func ints(_ name: String, _ values: [Int64]) -> Self {
        var a = Self()
        a.name = name
        a.type = .ints
        a.ints = values
        return a
    }

    static func int(_ name: String, _ value: Int64) -> Self {
        var a = Self()
        a.name = name
        a.type = .int
        a.i = value
        return a
    }

    static func floats(_ name: String, _ values: [Float]) -> Self {
        var a = Self()
        a.name = name
        a.type = .floats
        a.floats = values
        return a
    }

    static func strings(_ name: String, _ values: [String]) -> Self {
        var a = Self()
        a.name = name
        a.type = .strings
        a.strings = values.map { Data($0.utf8) }
        return a
    }

    static func tensor(_ name: String, floats: [Float]) -> Self {
        tensor(name, dataType: 1, count: floats.count) { $0.floatData = floats }
    }

    static func tensor(_ name: String, doubles: [Double]) -> Self {
        tensor(name, dataType: 11, count: doubles.count) { $0.doubleData = doubles }
    }

    static func tensor(_ name: String, uint8s: [UInt8]) -> Self {
        tensor(name, dataType: 2, count: uint8s.count) { $0.rawData = Data(uint8s) }
    }

    private static func tensor(_ name: String, dataType: Int32, count: Int, fill: (inout Onnx_TensorProto) -> Void) -> Self {
        var t = Onnx_TensorProto()
        t.dataType = dataType
        t.dims = [Int64(count)]
        fill(&t)
        var a = Self()
        a.name = name
        a.type = .tensor
        a.t = t
        return a
    }
}
