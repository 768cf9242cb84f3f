import Foundation
import Testing
@testable import PredictRuntime

/// A model made by scripts/make-fixtures.py with 32 input rows and onnxruntime's outputs.
struct Fixture: Sendable, CustomTestStringConvertible {
    struct NamedTensor: Decodable, Sendable {
        let name: String
        let datatype: String
        let shape: [Int]
        let data: [Element]
        let labels: [Element]?
    }

    /// A JSON scalar: a number, a string ("NaN" and "±Infinity" stand for those floats) or a bool.
    enum Element: Decodable, Sendable {
        case number(Double)
        case string(String)
        case bool(Bool)

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let d = try? c.decode(Double.self) { self = .number(d) }
            else { self = .string(try c.decode(String.self)) }
        }

        var double: Double {
            switch self {
            case .number(let d): d
            case .string("NaN"): .nan
            case .string("Infinity"): .infinity
            case .string("-Infinity"): -.infinity
            case .string(let s): Double(s) ?? .nan
            case .bool(let b): b ? 1 : 0
            }
        }

        var string: String {
            switch self {
            case .string(let s): s
            case .number(let d): d == d.rounded() ? String(Int64(d)) : String(d)
            case .bool(let b): String(b)
            }
        }
    }

    struct File: Decodable, Sendable {
        let model: String
        let description: String
        let inputs: [NamedTensor]
        let outputs: [NamedTensor]
    }

    let name: String
    let file: File
    let modelURL: URL

    var testDescription: String { name }

    /// Tests/Fixtures, where the fixture scripts write.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// Exporter output (scripts/make-fixtures.py).
    static let exporterModels = all(in: "runtime")
    /// Hand-made edge cases of the linear, SVM and preprocessing operators (scripts/make-ml-edge-fixtures.py).
    static let mlEdgeCases = all(in: "ml")
    /// Hand-made edge cases of the tree operators (scripts/make-tree-edge-fixtures.py).
    static let treeEdgeCases = all(in: "trees")

    /// Every fixture in Tests/Fixtures/`directory`, by name.
    static func all(in directory: String) -> [Fixture] {
        let folder = root.appendingPathComponent(directory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { file in
            let name = String(file.dropLast(5))
            do {
                let decoded = try JSONDecoder().decode(File.self, from: Data(contentsOf: folder.appendingPathComponent(file)))
                return Fixture(name: name, file: decoded, modelURL: folder.appendingPathComponent("\(name).onnx"))
            } catch {
                fatalError("fixture \(directory)/\(name) is unreadable: \(error)")
            }
        }
    }

    /// Loads and runs the model and records an issue for every output (or class-label list)
    /// that differs from onnxruntime's.
    func verifyMatchesOnnxRuntime() throws {
        let model = try InferenceModel(contentsOf: modelURL)
        let outputs = try model.run(inputs())
        #expect(model.outputs.map(\.name) == file.outputs.map(\.name))
        for expected in file.outputs {
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

    func inputs() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: file.inputs.map { ($0.name, $0.tensor) })
    }
}

extension Fixture.NamedTensor {
    var tensor: Tensor {
        switch datatype {
        case "FP32": Tensor(shape: shape, floats: data.map { Float($0.double) })
        case "FP64": Tensor(shape: shape, doubles: data.map(\.double))
        case "INT64": Tensor(shape: shape, int64s: data.map { Int64($0.double) })
        case "INT32": Tensor(shape: shape, int32s: data.map { Int32($0.double) })
        case "BYTES": Tensor(shape: shape, strings: data.map(\.string))
        case "BOOL": Tensor(shape: shape, bools: data.map { $0.double != 0 })
        default: fatalError("unknown fixture datatype \(datatype)")
        }
    }
}
