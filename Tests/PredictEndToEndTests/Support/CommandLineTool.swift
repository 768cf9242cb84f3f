import Foundation

/// Runs a binary built beside the test bundle (`swift test` builds the executables too).
struct CommandLineTool {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let url: URL

    init(_ name: String) throws {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        url = testBinary.deletingLastPathComponent().appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw TestFailure("\(url.path) is not built; run `swift build --build-tests` first")
        }
    }

    /// Runs with `arguments` and `environment` added to this process's, waits at most
    /// `timeout`, and returns its exit status and output.
    func run(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60)) async throws -> Run {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read while it runs, so a full pipe cannot block it.
        async let out = Task.detached { stdout.fileHandleForReading.readDataToEndOfFile() }.value
        async let err = Task.detached { stderr.fileHandleForReading.readDataToEndOfFile() }.value
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw TestFailure("\(url.lastPathComponent) \(arguments.joined(separator: " ")) ran past \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return Run(status: process.terminationStatus,
                   stdout: String(decoding: await out, as: UTF8.self),
                   stderr: String(decoding: await err, as: UTF8.self))
    }
}
