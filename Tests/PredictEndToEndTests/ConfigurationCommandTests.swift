import Foundation
import Testing

/// `predict-server check-config FILE` and `--config FILE` as a user runs them.
@Suite(.serialized)
struct ConfigurationCommandTests {
    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("predict-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func write(_ yaml: String, in folder: URL) throws -> String {
        let file = folder.appendingPathComponent("predict.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    static func valid(_ folder: URL) -> String {
        """
        tls: {certificate: \(TestServer.credentials.serverCertificate.path), key: \(TestServer.credentials.serverKey.path)}
        repository: {path: \(TestServer.exampleModels.path), allow_cpu_sharing: true}
        authentication: {allow_unauthenticated: true}
        metrics: {port: 9999}
        limits: {drain_timeout: 3s}
        """
    }

    @Test func checkConfigAcceptsAGoodFileAndSummarisesIt() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.write(Self.valid(folder), in: folder)
        let run = try await CommandLineTool("predict-server").run(["check-config", file])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\(file): OK"))
        #expect(run.stdout.contains("drain timeout 3s"))
        #expect(run.stdout.contains("metrics 0.0.0.0:9999/metrics"))
    }

    @Test func checkConfigNamesTheFileKeyAndReason() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tool = try CommandLineTool("predict-server")
        let cases: [(String, String)] = [
            (Self.valid(folder) + "\nlimits: {drain_timeout: 3s}", "'limits' is given more than once"),
            ("listen: {port: 8443, backlog: 10}", "'listen.backlog' is not a key of 'listen'"),
            ("tls: {certificate: /nonexistent.pem, key: /nonexistent.key}\nrepository: {path: /}\nauthentication: {allow_unauthenticated: true}", "cannot read the TLS certificate chain '/nonexistent.pem'"),
            ("tls: {certificate: \(TestServer.credentials.serverCertificate.path), key: \(TestServer.credentials.serverKey.path)}\nrepository: {path: /nonexistent}\nauthentication: {allow_unauthenticated: true}", "repository.path '/nonexistent' is not a directory"),
            ("tls: {certificate: \(TestServer.credentials.serverCertificate.path), key: \(TestServer.credentials.serverKey.path)}\nrepository: {path: /}", "authentication needs keys"),
        ]
        for (yaml, expected) in cases {
            let file = try Self.write(yaml, in: folder)
            let run = try await tool.run(["check-config", file])
            #expect(run.status == 1, "\(yaml)")
            #expect(run.stderr.contains(file), "names the file: \(run.stderr)")
            #expect(run.stderr.contains(expected), "\(run.stderr)")
        }
    }

    @Test func serverStartUpRefusesABadFileWithTheSameMessage() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Self.write("limits: {drain_timeout: 10}", in: folder)
        let run = try await CommandLineTool("predict-server").run(["--config", file])
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(file): 'limits.drain_timeout' must be a duration"), "\(run.stderr)")
    }

    @Test func flagsOverrideTheFile() async throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The file's metrics port is the serving port; a flag moving the serving port fixes it.
        let file = try Self.write(Self.valid(folder).replacingOccurrences(of: "port: 9999", with: "port: 8443"), in: folder)
        let clash = try await CommandLineTool("predict-server").run(["--config", file])
        #expect(clash.status == 1)
        #expect(clash.stderr.contains("metrics.port (--metrics-port) 8443 is the serving port"), "\(clash.stderr)")
        let server = try await ServerProcess(["--config", file, "--metrics-port", "0"])
        defer { server.kill() }
        #expect(try await server.waitForEvent("metrics listening")["address"] != nil)
        server.signal(SIGTERM)
        #expect(try await server.waitForExit(timeout: .seconds(15)) == 0)
    }
}
