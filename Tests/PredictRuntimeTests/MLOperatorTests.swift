import Foundation
import Testing
@testable import PredictRuntime

/// The ai.onnx.ml non-tree kernels (linear models, SVMs, Normalizer, Scaler, ZipMap,
/// ArrayFeatureExtractor, OneHotEncoder): onnxruntime's outputs on the edge-case models of
/// scripts/make-ml-edge-fixtures.py, and the load-time and run-time errors.
@Suite struct MLOperatorTests {
    // MARK: Metadata

    @Test func classifierScoresCarryTheirClassLabels() throws {
        let model = try linearClassifier(features: 2, attributes: [
            Attr.floats("coefficients", [1, 0, 0, 1, 1, 1]), Attr.floats("intercepts", [0, 0, 0]),
            strings("classlabels_strings", ["a", "b", "c"]),
        ])
        #expect(model.outputs[0].elementType == .string)
        #expect(model.outputs[1].classLabels == .string(["a", "b", "c"]))
        #expect(model.outputs[1].shape == [.dynamic(name: "N"), .fixed(3)])
    }

    @Test func pairwiseSVMScoresHaveNoClassLabels() throws {
        var g = GraphBuilder()
        g.input("X", .float32, [nil, 1])
        g.node("SVMClassifier", ["X"], ["label", "scores"], domain: "ai.onnx.ml", name: "svm", attributes: [
            Attr.string("kernel_type", "RBF"), Attr.floats("kernel_params", [0.5, 0, 0]),
            Attr.floats("support_vectors", [0, 1, 2]), Attr.ints("vectors_per_class", [1, 1, 1]),
            Attr.floats("coefficients", [1, -1, 1, -1, 1, -1]), Attr.floats("rho", [0, 0, 0]),
            Attr.ints("classlabels_ints", [5, 6, 7]),
        ])
        g.output("label")
        g.output("scores")
        let model = try g.load()
        #expect(model.outputs[1].shape == [.dynamic(name: "N"), .fixed(3)])
        #expect(model.outputs[1].classLabels == nil)
        #expect(model.outputs[0].classLabels == .int64([5, 6, 7]))
    }

    @Test func zipMapServesProbabilitiesWithLabelsInMetadata() throws {
        var g = GraphBuilder()
        g.input("P", .float32, [nil, 2])
        g.node("ZipMap", ["P"], ["Z"], domain: "ai.onnx.ml", attributes: [Attr.ints("classlabels_int64s", [3, 8])])
        g.output("Z")
        let model = try g.load()
        #expect(model.outputs[0].classLabels == .int64([3, 8]))
        let z = try model.run([Tensor(shape: [1, 2], floats: [0.25, 0.75])])[0]
        #expect(z == Tensor(shape: [1, 2], floats: [0.25, 0.75]))
    }

    // MARK: Load errors

    @Test func missingCoefficientsNameNodeAndAttribute() {
        let error = runtimeError { _ = try linearClassifier(features: 2, attributes: [Attr.floats("intercepts", [0]), Attr.ints("classlabels_ints", [0, 1])]) }
        expect(error, .invalidModel, mentions: ["'lin'", "LinearClassifier", "'coefficients'"])
    }

    @Test func coefficientsThatDoNotSplitIntoClassesAreInvalid() {
        let error = runtimeError {
            _ = try linearClassifier(features: 2, attributes: [
                Attr.floats("coefficients", [1, 2, 3, 4, 5]), Attr.floats("intercepts", [0, 0]), Attr.ints("classlabels_ints", [0, 1]),
            ])
        }
        expect(error, .invalidModel, mentions: ["'lin'", "'coefficients'", "5"])
    }

    @Test func declaredFeatureCountMustMatchCoefficients() {
        let error = runtimeError {
            _ = try linearClassifier(features: 3, attributes: [
                Attr.floats("coefficients", [1, 2, 3, 4]), Attr.floats("intercepts", [0, 0]), Attr.ints("classlabels_ints", [0, 1]),
            ])
        }
        expect(error, .invalidModel, mentions: ["'lin'", "3 features", "2"])
    }

    @Test func labelCountMustMatchClassCount() {
        let error = runtimeError {
            _ = try linearClassifier(features: 1, attributes: [
                Attr.floats("coefficients", [1, 2, 3]), Attr.floats("intercepts", [0, 0, 0]), Attr.ints("classlabels_ints", [0, 1]),
            ])
        }
        expect(error, .invalidModel, mentions: ["'lin'", "2 class labels", "'intercepts'"])
    }

    @Test func bothLabelKindsAreInvalid() {
        let error = runtimeError {
            _ = try linearClassifier(features: 1, attributes: [
                Attr.floats("coefficients", [1, 2]), Attr.floats("intercepts", [0, 0]),
                Attr.ints("classlabels_ints", [0, 1]), strings("classlabels_strings", ["a", "b"]),
            ])
        }
        expect(error, .invalidModel, mentions: ["'classlabels_ints'", "'classlabels_strings'"])
    }

    @Test func binaryOneRowWithProbitIsUnsupported() {
        let error = runtimeError {
            _ = try linearClassifier(features: 2, attributes: [
                Attr.floats("coefficients", [1, 2]), Attr.floats("intercepts", [0]),
                Attr.ints("classlabels_ints", [0, 1]), Attr.string("post_transform", "PROBIT"),
            ])
        }
        expect(error, .unsupported, mentions: ["'lin'", "'post_transform'", "PROBIT"])
    }

    @Test func unknownPostTransformIsUnsupported() {
        let error = runtimeError {
            _ = try linearClassifier(features: 1, attributes: [
                Attr.floats("coefficients", [1, 2]), Attr.floats("intercepts", [0, 0]),
                Attr.ints("classlabels_ints", [0, 1]), Attr.string("post_transform", "SOFTPLUS"),
            ])
        }
        expect(error, .unsupported, mentions: ["'lin'", "'post_transform'", "SOFTPLUS"])
    }

    @Test func unknownAttributeOfLinearClassifierIsRejected() {
        let error = runtimeError {
            _ = try linearClassifier(features: 1, attributes: [
                Attr.floats("coefficients", [1, 2]), Attr.floats("intercepts", [0, 0]),
                Attr.ints("classlabels_ints", [0, 1]), Attr.int("multi_class", 1), Attr.int("bias_mode", 2),
            ])
        }
        expect(error, .unsupported, mentions: ["'lin'", "'bias_mode'"])
    }

    @Test func unknownKernelTypeIsUnsupported() {
        let error = runtimeError { _ = try svmClassifier(kernelType: "LAPLACE") }
        expect(error, .unsupported, mentions: ["'svm'", "SVMClassifier", "'kernel_type'", "LAPLACE"])
    }

    @Test func svmWithoutKernelParamsIsInvalid() {
        let error = runtimeError { _ = try svmClassifier(kernelParams: nil) }
        expect(error, .invalidModel, mentions: ["'svm'", "'kernel_params'"])
    }

    @Test func vectorsPerClassMustCoverEveryClass() {
        let error = runtimeError { _ = try svmClassifier(vectorsPerClass: [1, 1, 1]) }
        expect(error, .invalidModel, mentions: ["'svm'", "'vectors_per_class'"])
    }

    @Test func supportVectorCoefficientsMustMatchVectorCount() {
        let error = runtimeError { _ = try svmClassifier(coefficients: [1, -1, 0.5]) }
        expect(error, .invalidModel, mentions: ["'svm'", "'coefficients'", "3 values"])
    }

    @Test func rhoNeedsOneValuePerPairOfClasses() {
        let error = runtimeError { _ = try svmClassifier(rho: [0.1, 0.2]) }
        expect(error, .invalidModel, mentions: ["'svm'", "'rho'"])
    }

    @Test func probAAndProbBMustHaveTheSameLength() {
        let error = runtimeError { _ = try svmClassifier(extra: [Attr.floats("prob_a", [1]), Attr.floats("prob_b", [1, 2])]) }
        expect(error, .invalidModel, mentions: ["'svm'", "'prob_a'", "'prob_b'"])
    }

    @Test func binarySVMWithoutProbabilitiesRejectsProbit() {
        let error = runtimeError { _ = try svmClassifier(extra: [Attr.string("post_transform", "PROBIT")]) }
        expect(error, .unsupported, mentions: ["'svm'", "'post_transform'"])
    }

    @Test func svmRegressorNeedsNSupports() {
        var g = GraphBuilder()
        g.input("X", .float32, [nil, 2])
        g.node("SVMRegressor", ["X"], ["Y"], domain: "ai.onnx.ml", name: "svr", attributes: [
            Attr.floats("kernel_params", [0.5, 0, 0]), Attr.floats("coefficients", [1, 2]), Attr.floats("rho", [0]),
        ])
        g.output("Y")
        expect(runtimeError { _ = try g.load() }, .invalidModel, mentions: ["'svr'", "'n_supports'"])
    }

    @Test func unknownNormIsUnsupported() {
        var g = GraphBuilder()
        g.input("X", .float32, [nil, 2])
        g.node("Normalizer", ["X"], ["Y"], domain: "ai.onnx.ml", name: "norm", attributes: [Attr.string("norm", "L3")])
        g.output("Y")
        expect(runtimeError { _ = try g.load() }, .unsupported, mentions: ["'norm'", "L3"])
    }

    @Test func scalerOffsetAndScaleMustHaveTheSameLength() {
        var g = GraphBuilder()
        g.input("X", .float32, [nil, 2])
        g.node("Scaler", ["X"], ["Y"], domain: "ai.onnx.ml", name: "scale", attributes: [
            Attr.floats("scale", [1, 2]), Attr.floats("offset", [1]),
        ])
        g.output("Y")
        expect(runtimeError { _ = try g.load() }, .invalidModel, mentions: ["'scale'", "'offset'"])
    }

    @Test func scalerLengthMustMatchDeclaredFeatures() {
        var g = GraphBuilder()
        g.input("X", .float32, [nil, 3])
        g.node("Scaler", ["X"], ["Y"], domain: "ai.onnx.ml", name: "scale", attributes: [
            Attr.floats("scale", [1, 2]), Attr.floats("offset", [1, 1]),
        ])
        g.output("Y")
        expect(runtimeError { _ = try g.load() }, .invalidModel, mentions: ["'scale'", "3 features"])
    }

    @Test func zipMapNeedsLabels() {
        var g = GraphBuilder()
        g.input("P", .float32, [nil, 2])
        g.node("ZipMap", ["P"], ["Z"], domain: "ai.onnx.ml", name: "zip")
        g.output("Z")
        expect(runtimeError { _ = try g.load() }, .invalidModel, mentions: ["'zip'", "'classlabels_int64s'"])
    }

    @Test func zipMapColumnsMustMatchLabelsWhenDeclared() {
        var g = GraphBuilder()
        g.input("P", .float32, [nil, 3])
        g.node("ZipMap", ["P"], ["Z"], domain: "ai.onnx.ml", name: "zip", attributes: [Attr.ints("classlabels_int64s", [0, 1])])
        g.output("Z")
        expect(runtimeError { _ = try g.load() }, .invalidModel, mentions: ["'zip'", "3 columns", "2 class labels"])
    }

    @Test func oneHotEncoderNeedsExactlyOneCategoryList() {
        var g = GraphBuilder()
        g.input("X", .int64, [nil, 1])
        g.node("OneHotEncoder", ["X"], ["Y"], domain: "ai.onnx.ml", name: "ohe", attributes: [
            Attr.ints("cats_int64s", [1]), strings("cats_strings", ["a"]),
        ])
        g.output("Y")
        expect(runtimeError { _ = try g.load() }, .invalidModel, mentions: ["'ohe'", "'cats_int64s'", "'cats_strings'"])
    }

    @Test func constantFeatureIndexOutOfRangeIsInvalid() {
        var g = GraphBuilder()
        g.input("X", .float32, [nil, 3])
        g.initializer("I", Tensor(shape: [2], int64s: [0, 3]))
        g.node("ArrayFeatureExtractor", ["X", "I"], ["Y"], domain: "ai.onnx.ml", name: "afe")
        g.output("Y")
        expect(runtimeError { _ = try g.load() }, .invalidModel, mentions: ["'afe'", "index 3"])
    }

    // MARK: Run-time errors

    @Test func wrongFeatureCountIsAnInputErrorSayingExpectedAndGot() throws {
        let model = try linearClassifier(features: nil, attributes: [
            Attr.floats("coefficients", [1, 2, 3, 4, 5, 6]), Attr.floats("intercepts", [0, 0]), Attr.ints("classlabels_ints", [0, 1]),
        ])
        let error = runtimeError { _ = try model.run([Tensor(shape: [1, 2], floats: [1, 2])]) }
        expect(error, .invalidInput, mentions: ["'lin'", "expected 3 features", "got 2"])
    }

    @Test func svmWrongFeatureCountIsAnInputError() throws {
        var g = GraphBuilder()
        g.input("X", .float32, [nil, nil])
        g.node("SVMRegressor", ["X"], ["Y"], domain: "ai.onnx.ml", name: "svr", attributes: [
            Attr.string("kernel_type", "RBF"), Attr.floats("kernel_params", [0.5, 0, 0]), Attr.int("n_supports", 2),
            Attr.floats("support_vectors", [0, 1, 2, 3]), Attr.floats("coefficients", [1, -1]), Attr.floats("rho", [0]),
        ])
        g.output("Y")
        let model = try g.load()
        let error = runtimeError { _ = try model.run([Tensor(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6])]) }
        expect(error, .invalidInput, mentions: ["'svr'", "expected 2 features", "got 3"])
    }

    @Test func unknownCategoryWithZerosOffIsAnInputError() throws {
        var g = GraphBuilder()
        g.input("X", .int64, [nil, 1])
        g.node("OneHotEncoder", ["X"], ["Y"], domain: "ai.onnx.ml", name: "ohe", attributes: [
            Attr.ints("cats_int64s", [1, 2]), Attr.int("zeros", 0),
        ])
        g.output("Y")
        let model = try g.load()
        #expect(try model.run([Tensor(shape: [2, 1], int64s: [2, 1])])[0].floats == [0, 1, 1, 0])
        let error = runtimeError { _ = try model.run([Tensor(shape: [2, 1], int64s: [1, 5])]) }
        expect(error, .invalidInput, mentions: ["'ohe'", "element 1", "'zeros'"])
        #expect(error?.message.contains("5") == false, "messages never contain tensor data")
    }

    @Test func computedFeatureIndexOutOfRangeIsAnInputError() throws {
        var g = GraphBuilder()
        g.input("X", .float32, [nil, 3])
        g.input("I", .int64, [2])
        g.node("ArrayFeatureExtractor", ["X", "I"], ["Y"], domain: "ai.onnx.ml", name: "afe")
        g.output("Y")
        let model = try g.load()
        let x = Tensor(shape: [1, 3], floats: [1, 2, 3])
        #expect(try model.run([x, Tensor(shape: [2], int64s: [2, 0])])[0] == Tensor(shape: [1, 2], floats: [3, 1]))
        expect(runtimeError { _ = try model.run([x, Tensor(shape: [2], int64s: [0, -1])]) }, .invalidInput, mentions: ["'afe'", "index 1", "[0, 3)"])
        expect(runtimeError { _ = try model.run([x, Tensor(shape: [2], int64s: [3, 0])]) }, .invalidInput, mentions: ["'afe'", "index 0", "[0, 3)"])
    }

    @Test func zipMapColumnMismatchAtRunTimeIsAnInputError() throws {
        var g = GraphBuilder()
        g.input("P", .float32, [nil, nil])
        g.node("ZipMap", ["P"], ["Z"], domain: "ai.onnx.ml", name: "zip", attributes: [strings("classlabels_strings", ["a", "b"])])
        g.output("Z")
        let model = try g.load()
        let error = runtimeError { _ = try model.run([Tensor(shape: [1, 3], floats: [0.2, 0.3, 0.5])]) }
        expect(error, .invalidInput, mentions: ["'zip'", "expected 2 columns", "got 3"])
    }

    @Test func scalerFeatureMismatchAtRunTimeIsAnInputError() throws {
        var g = GraphBuilder()
        g.input("X", .float32, [nil, nil])
        g.node("Scaler", ["X"], ["Y"], domain: "ai.onnx.ml", name: "scale", attributes: [
            Attr.floats("scale", [1, 2]), Attr.floats("offset", [0, 0]),
        ])
        g.output("Y")
        let model = try g.load()
        let error = runtimeError { _ = try model.run([Tensor(shape: [1, 3], floats: [1, 2, 3])]) }
        expect(error, .invalidInput, mentions: ["'scale'", "expected 2 features", "got 3"])
    }

    // MARK: Helpers

    /// A LinearClassifier named 'lin' over X [N, features] (features nil: dynamic).
    private func linearClassifier(features: Int?, attributes: [Onnx_AttributeProto]) throws -> InferenceModel {
        var g = GraphBuilder()
        g.input("X", .float32, [nil, features])
        g.node("LinearClassifier", ["X"], ["label", "scores"], domain: "ai.onnx.ml", name: "lin", attributes: attributes)
        g.output("label")
        g.output("scores")
        return try g.load()
    }

    /// A binary SVMClassifier named 'svm' over X [N, 2] with two support vectors, one per class.
    private func svmClassifier(
        kernelType: String = "RBF", kernelParams: [Float]? = [0.5, 0, 0], vectorsPerClass: [Int] = [1, 1],
        coefficients: [Float] = [1, -1], rho: [Float] = [0.1], extra: [Onnx_AttributeProto] = []
    ) throws -> InferenceModel {
        var attributes = [
            Attr.string("kernel_type", kernelType), Attr.floats("support_vectors", [0, 1, 1, 0]),
            Attr.ints("vectors_per_class", vectorsPerClass), Attr.floats("coefficients", coefficients),
            Attr.floats("rho", rho), Attr.ints("classlabels_ints", [0, 1]),
        ] + extra
        if let kernelParams { attributes.append(Attr.floats("kernel_params", kernelParams)) }
        var g = GraphBuilder()
        g.input("X", .float32, [nil, 2])
        g.node("SVMClassifier", ["X"], ["label", "scores"], domain: "ai.onnx.ml", name: "svm", attributes: attributes)
        g.output("label")
        g.output("scores")
        return try g.load()
    }

    private func strings(_ name: String, _ values: [String]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .strings
        a.strings = values.map { Data($0.utf8) }
        return a
    }

    /// Expects an error of `kind` whose message contains every string of `mentions`.
    private func expect(_ error: RuntimeError?, _ kind: RuntimeError.Kind, mentions: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error else {
            Issue.record("expected a \(kind) error, got none", sourceLocation: sourceLocation)
            return
        }
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        for text in mentions {
            #expect(error.message.contains(text), "'\(text)' missing from: \(error.message)", sourceLocation: sourceLocation)
        }
    }
}
