import Foundation
import Testing
@testable import PredictServing

/// The model repository on disk: layout, version policies, warnings, and broken models that
/// never stop the good ones.
@Suite struct ModelRepositoryTests {
    @Test func modelWithoutConfigGetsDefaultsAndItsLatestVersion() throws {
        let repo = try TemporaryRepository()
        try repo.addVersions("iris", [1, 2, 3])
        let scan = try ModelRepository.scan(repo.url)
        #expect(scan.warnings.isEmpty)
        let iris = try #require(scan.model(named: "iris"))
        #expect(iris.problem == nil)
        #expect(iris.configuration == ModelConfiguration())
        #expect(iris.versions.map(\.number) == [3])
        #expect(iris.versions[0].modelURL.path == repo.path("iris/3/model.onnx"))
        let model = try #require(iris.versions[0].model)
        #expect(model.inputs.count == 1)
    }

    @Test func configurationIsReadFromConfigYAML() throws {
        let repo = try TemporaryRepository()
        try repo.addVersions("iris", [1], config: "instances: 2\nmax_batch_size: 0\ntimeout_ms: 250\n")
        let iris = try #require(try ModelRepository.scan(repo.url).model(named: "iris"))
        #expect(iris.configuration?.instances == 2)
        #expect(iris.configuration?.maxBatchSize == 0)
        #expect(iris.configuration?.timeoutMilliseconds == 250)
        #expect(iris.versions.map(\.number) == [1])
    }

    @Test(arguments: [
        ("version_policy: {latest: 1}", [10]),
        ("version_policy: {latest: 2}", [3, 10]),
        ("version_policy: {latest: 9}", [1, 2, 3, 10]),
        ("version_policy: all", [1, 2, 3, 10]),
        ("version_policy: {specific: [1, 3]}", [1, 3]),
        ("version_policy:\n  specific:\n    - 2\n", [2]),
    ])
    func versionPolicySelectsAmongTheVersionDirectories(config: String, expected: [Int]) throws {
        let repo = try TemporaryRepository()
        try repo.addVersions("iris", [1, 2, 3, 10], config: config)
        let scan = try ModelRepository.scan(repo.url)
        let iris = try #require(scan.model(named: "iris"))
        #expect(iris.problem == nil)
        #expect(iris.versions.map(\.number) == expected)
        #expect(iris.versions.allSatisfy { $0.model != nil })
        #expect(scan.warnings.isEmpty)
    }

    @Test func specificVersionThatDoesNotExistIsAWarning() throws {
        let repo = try TemporaryRepository()
        try repo.addVersions("iris", [1, 2], config: "version_policy: {specific: [2, 4]}\n")
        let scan = try ModelRepository.scan(repo.url)
        let iris = try #require(scan.model(named: "iris"))
        #expect(iris.problem == nil)
        #expect(iris.versions.map(\.number) == [2])
        #expect(scan.warnings == [
            "\(repo.path("iris/config.yaml")): 'version_policy' lists version 4, which does not exist (versions present: 1, 2)"
        ])
    }

    @Test func specificPolicyThatSelectsNoVersionIsTheModelsProblem() throws {
        let repo = try TemporaryRepository()
        try repo.addVersions("iris", [1, 2], config: "version_policy: {specific: [5, 6]}\n")
        let scan = try ModelRepository.scan(repo.url)
        let iris = try #require(scan.model(named: "iris"))
        #expect(iris.versions.isEmpty)
        #expect(iris.problem == "\(repo.path("iris/config.yaml")): 'version_policy' {specific: [5, 6]} selects none of the versions present (1, 2)")
        #expect(scan.warnings.count == 2)
    }

    @Test func directoriesThatAreNotPositiveIntegersAreIgnoredWithWarnings() throws {
        let repo = try TemporaryRepository()
        try repo.addVersions("iris", [1])
        for name in ["0", "01", "-1", "v2", "1.0", "tmp"] {
            try repo.makeDirectory("iris/\(name)")
            try repo.copyModel(Fixtures.iris, to: "iris/\(name)/model.onnx")
        }
        try repo.makeDirectory("iris/.cache")
        try repo.write("notes", to: "iris/README.md")
        let scan = try ModelRepository.scan(repo.url)
        let iris = try #require(scan.model(named: "iris"))
        #expect(iris.versions.map(\.number) == [1])
        #expect(Set(scan.warnings) == Set(["0", "01", "-1", "v2", "1.0", "tmp"].map {
            "\(repo.path("iris/\($0)")): not a version directory (versions are positive integers)"
        } + ["\(repo.path("iris/README.md")): ignored (a model directory holds config.yaml and version directories)"]))
    }

    @Test func versionNumbersArePositiveDecimalsWithoutLeadingZeros() {
        #expect(ModelRepository.versionNumber("1") == 1)
        #expect(ModelRepository.versionNumber("10") == 10)
        #expect(ModelRepository.versionNumber("123456") == 123456)
        for name in ["0", "01", "-1", "+1", "v1", "1.0", "", " 1", "1e3", "99999999999999999999999", "١"] {
            #expect(ModelRepository.versionNumber(name) == nil, "\(name)")
        }
    }

    @Test func modelNamesMatchTheAllowedPattern() {
        for name in ["iris", "Iris-2", "a", "9lives", "forest_v2.1", "x.y-z_0"] {
            #expect(ModelRepository.isValidModelName(name), "\(name)")
        }
        for name in ["", "_iris", "-iris", ".iris", "iris model", "iris/1", "irís", "iris:1"] {
            #expect(!ModelRepository.isValidModelName(name), "\(name)")
        }
    }

    @Test func brokenModelsBesideAGoodOneNeverStopIt() throws {
        let repo = try TemporaryRepository()
        try repo.addVersions("good", [1])
        try repo.makeDirectory("garbage/1")
        try repo.write("this is not an ONNX model", to: "garbage/1/model.onnx")
        try repo.makeDirectory("unsupported/1")
        try Data(Fixtures.convModel()).write(to: repo.url.appendingPathComponent("unsupported/1/model.onnx"))
        try repo.addVersions("badconfig", [1], config: "max_batch_size: lots\n")
        try repo.addVersions("bad name", [1])
        try repo.makeDirectory("noversions")
        try repo.makeDirectory("nomodel/1")

        let scan = try ModelRepository.scan(repo.url)
        #expect(scan.models.map(\.name) == ["bad name", "badconfig", "garbage", "good", "nomodel", "noversions", "unsupported"])

        let good = try #require(scan.model(named: "good"))
        #expect(good.problem == nil)
        #expect(good.versions.count == 1 && good.versions[0].model != nil)

        let garbage = try #require(scan.model(named: "garbage"))
        #expect(garbage.problem == nil)
        let garbageReason = try #require(failureReason(garbage.versions.first))
        #expect(garbageReason.hasPrefix("\(repo.path("garbage/1/model.onnx")): invalidModel: "), "\(garbageReason)")

        let unsupported = try #require(scan.model(named: "unsupported"))
        let unsupportedReason = try #require(failureReason(unsupported.versions.first))
        #expect(unsupportedReason.hasPrefix("\(repo.path("unsupported/1/model.onnx")): unsupported: "), "\(unsupportedReason)")
        #expect(unsupportedReason.contains("node 'conv1'"))
        #expect(unsupportedReason.contains("Conv"))
        #expect(unsupportedReason.contains("opset 17"))

        let badConfig = try #require(scan.model(named: "badconfig"))
        #expect(badConfig.configuration == nil)
        #expect(badConfig.versions.isEmpty)
        #expect(badConfig.problem == "\(repo.path("badconfig/config.yaml")): 'max_batch_size' must be an integer ≥ 0 (0 disables batching); got \"lots\"")

        let badName = try #require(scan.model(named: "bad name"))
        #expect(badName.versions.isEmpty)
        #expect(badName.problem == "\(repo.path("bad name")): 'bad name' is not a valid model name (names match [A-Za-z0-9][A-Za-z0-9_.-]*)")

        let noVersions = try #require(scan.model(named: "noversions"))
        #expect(noVersions.versions.isEmpty)
        #expect(noVersions.problem?.hasPrefix("\(repo.path("noversions")): no version directories") == true)

        let noModel = try #require(scan.model(named: "nomodel"))
        #expect(noModel.problem == nil)
        #expect(failureReason(noModel.versions.first) == "\(repo.path("nomodel/1/model.onnx")): missing (each version directory holds its model as model.onnx)")
    }

    @Test func oneFailedVersionLeavesTheOthersLoaded() throws {
        let repo = try TemporaryRepository()
        try repo.addVersions("iris", [1, 3], config: "version_policy: all\n")
        try repo.makeDirectory("iris/2")
        try repo.write("garbage", to: "iris/2/model.onnx")
        let iris = try #require(try ModelRepository.scan(repo.url).model(named: "iris"))
        #expect(iris.versions.map(\.number) == [1, 2, 3])
        #expect(iris.versions.map { $0.model != nil } == [true, false, true])
    }

    @Test func realExampleModelsAndFixturesLoad() throws {
        let repo = try TemporaryRepository()
        try repo.addVersions("iris", [1], model: Fixtures.iris)
        try repo.addVersions("forest", [1], model: Fixtures.forest)
        try repo.addVersions("logreg", [1], model: Fixtures.root.appendingPathComponent("Tests/Fixtures/runtime/logreg_iris.onnx"))
        let scan = try ModelRepository.scan(repo.url)
        #expect(scan.models.map(\.name) == ["forest", "iris", "logreg"])
        for model in scan.models {
            #expect(model.versions.count == 1 && model.versions[0].model != nil, "\(model.name): \(failureReason(model.versions.first) ?? "")")
        }
    }

    @Test func topLevelFilesAndHiddenEntriesAreIgnoredSilently() throws {
        let repo = try TemporaryRepository()
        try repo.addVersions("iris", [1])
        try repo.write("# models", to: "README.md")
        try repo.makeDirectory(".git/1")
        try repo.write("", to: ".DS_Store")
        let scan = try ModelRepository.scan(repo.url)
        #expect(scan.models.map(\.name) == ["iris"])
        #expect(scan.warnings.isEmpty)
    }

    @Test func emptyRepositoryHasNoModels() throws {
        let repo = try TemporaryRepository()
        let scan = try ModelRepository.scan(repo.url)
        #expect(scan.models.isEmpty)
        #expect(scan.warnings.isEmpty)
    }

    @Test func missingRepositoryThrows() throws {
        let repo = try TemporaryRepository()
        let missing = repo.url.appendingPathComponent("nowhere")
        #expect(throws: ConfigurationError(file: missing.path, key: nil, message: "the model repository does not exist")) {
            try ModelRepository.scan(missing)
        }
    }

    @Test func repositoryThatIsAFileThrows() throws {
        let repo = try TemporaryRepository()
        try repo.write("", to: "file")
        let file = repo.url.appendingPathComponent("file")
        #expect(throws: ConfigurationError(file: file.path, key: nil, message: "the model repository is not a directory")) {
            try ModelRepository.scan(file)
        }
    }

    private func failureReason(_ version: ModelVersionEntry?) -> String? {
        if case .failed(let reason) = version?.state { reason } else { nil }
    }
}

/// Real models to put in repositories, and one the runtime refuses.
private enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let iris = root.appendingPathComponent("examples/models/iris/1/model.onnx")
    static let forest = root.appendingPathComponent("examples/models/forest/1/model.onnx")

    /// A well-formed ONNX model whose one node is a Conv (opset 17), which the runtime does not
    /// run, encoded by hand: x FP32 [N, 3] → Conv 'conv1' → y.
    static func convModel() -> [UInt8] {
        func varint(_ value: Int) -> [UInt8] {
            var value = UInt64(value), bytes: [UInt8] = []
            repeat {
                bytes.append(UInt8(value & 0x7f) | (value > 0x7f ? 0x80 : 0))
                value >>= 7
            } while value > 0
            return bytes
        }
        func message(_ field: Int, _ body: [UInt8]) -> [UInt8] { varint(field << 3 | 2) + varint(body.count) + body }
        func string(_ field: Int, _ text: String) -> [UInt8] { message(field, Array(text.utf8)) }
        func integer(_ field: Int, _ value: Int) -> [UInt8] { varint(field << 3) + varint(value) }

        let shape = message(1, string(2, "N")) + message(1, integer(1, 3))          // TensorShapeProto.dim
        let tensorType = integer(1, 1) + message(2, shape)                          // elem_type FLOAT, shape
        let input = string(1, "x") + message(2, message(1, tensorType))             // ValueInfoProto name, type
        let output = string(1, "y")
        let node = string(1, "x") + string(2, "y") + string(3, "conv1") + string(4, "Conv")
        let graph = message(1, node) + string(2, "test") + message(11, input) + message(12, output)
        let opset = string(1, "") + integer(2, 17)
        return integer(1, 8) + message(7, graph) + message(8, opset)                // ir_version, graph, opset_import
    }
}

/// A model repository in a fresh temporary directory, removed when the test ends.
private final class TemporaryRepository {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("predict-repository-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    func makeDirectory(_ relative: String) throws {
        try FileManager.default.createDirectory(at: url.appendingPathComponent(relative), withIntermediateDirectories: true)
    }

    func write(_ text: String, to relative: String) throws {
        try Data(text.utf8).write(to: url.appendingPathComponent(relative))
    }

    func copyModel(_ source: URL, to relative: String) throws {
        try FileManager.default.copyItem(at: source, to: url.appendingPathComponent(relative))
    }

    /// `REPO/name/<v>/model.onnx` for each version, and config.yaml when given.
    func addVersions(_ name: String, _ versions: [Int], model: URL = Fixtures.iris, config: String? = nil) throws {
        for version in versions {
            try makeDirectory("\(name)/\(version)")
            try copyModel(model, to: "\(name)/\(version)/model.onnx")
        }
        if versions.isEmpty { try makeDirectory(name) }
        if let config { try write(config, to: "\(name)/config.yaml") }
    }
}
