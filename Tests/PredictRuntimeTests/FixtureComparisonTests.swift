import Testing
@testable import PredictRuntime

/// Every fixture model gives onnxruntime's outputs: labels exactly, floats within 1e-5 relative.
@Suite("Outputs match onnxruntime")
struct FixtureComparisonTests {
    @Test("exporter model matches onnxruntime", arguments: Fixture.exporterModels)
    func exporterModel(_ fixture: Fixture) throws { try fixture.verifyMatchesOnnxRuntime() }

    @Test("ML operator edge case matches onnxruntime", arguments: Fixture.mlEdgeCases)
    func mlEdgeCase(_ fixture: Fixture) throws { try fixture.verifyMatchesOnnxRuntime() }

    @Test("tree edge case matches onnxruntime", arguments: Fixture.treeEdgeCases)
    func treeEdgeCase(_ fixture: Fixture) throws { try fixture.verifyMatchesOnnxRuntime() }

    @Test func fixturesArePresent() {
        #expect(Fixture.exporterModels.count >= 60, "scripts/make-fixtures.py writes Tests/Fixtures/runtime")
        #expect(Fixture.mlEdgeCases.count >= 80, "scripts/make-ml-edge-fixtures.py writes Tests/Fixtures/ml")
        #expect(Fixture.treeEdgeCases.count >= 70, "scripts/make-tree-edge-fixtures.py writes Tests/Fixtures/trees")
    }
}
