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

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/runtime")

    /// Every fixture in Tests/Fixtures/runtime, by name.
    static let all: [Fixture] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { load(String($0.dropLast(5))) }
    }()

    static func load(_ name: String) -> Fixture {
        let json = directory.appendingPathComponent("\(name).json")
        do {
            let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: json))
            return Fixture(name: name, file: file, modelURL: directory.appendingPathComponent("\(name).onnx"))
        } catch {
            fatalError("fixture \(name) is unreadable: \(error)")
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
