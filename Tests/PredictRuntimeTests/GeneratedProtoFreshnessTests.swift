import Foundation
import Testing

/// The committed Swift code in Sources/*/Proto is what scripts/generate-protos.sh makes from
/// Protos/. Runs only where protoc and protoc-gen-swift are installed (building the plugin
/// takes minutes, so CI does not); `swift test` elsewhere reports it as skipped.
@Suite struct GeneratedProtoFreshnessTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func tool(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var generatorsInstalled: Bool {
        tool("protoc") != nil && (ProcessInfo.processInfo.environment["PROTOC_GEN_SWIFT"] != nil || tool("protoc-gen-swift") != nil)
    }

    @Test(.enabled(if: generatorsInstalled, "needs protoc and protoc-gen-swift"))
    func committedCodeMatchesProtos() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("predict-protos-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.root.appendingPathComponent("scripts/generate-protos.sh").path, out.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let generated = FileManager.default.enumerator(atPath: out.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(!generated.isEmpty)
        for file in generated {
            let fresh = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
            let committed = try String(contentsOf: Self.root.appendingPathComponent("Sources").appendingPathComponent(file), encoding: .utf8)
            #expect(fresh == committed, "Sources/\(file) is stale: run scripts/generate-protos.sh")
        }
    }
}
