import Foundation
import Testing
@testable import PredictRuntime

/// Every fixture model gives onnxruntime's outputs: labels exactly, floats within 1e-5 relative.
@Suite("Outputs match onnxruntime")
struct FixtureComparisonTests {
    @Test("fixture matches onnxruntime", arguments: Fixture.all)
    func fixtureMatchesOnnxRuntime(_ fixture: Fixture) throws {
        let model = try InferenceModel(contentsOf: fixture.modelURL)
        let outputs = try model.run(fixture.inputs())
        #expect(model.outputs.map(\.name) == fixture.file.outputs.map(\.name))
        for expected in fixture.file.outputs {
            let actual = try #require(outputs[expected.name], "no output \(expected.name)")
            if let problem = difference(actual, expected.tensor) {
                Issue.record("output '\(expected.name)': \(problem)")
            }
            if let labels = expected.labels {
                let info = try #require(model.outputs.first { $0.name == expected.name })
                let actualLabels: [String] = switch info.classLabels {
                case .int64(let v)?: v.map(String.init)
                case .string(let v)?: v
                case nil: []
                }
                #expect(actualLabels == labels.map(\.string), "class labels of '\(expected.name)'")
            }
        }
    }

    @Test func fixturesArePresent() {
        #expect(Fixture.all.count >= 30, "scripts/make-fixtures.py writes Tests/Fixtures/runtime")
    }
}
