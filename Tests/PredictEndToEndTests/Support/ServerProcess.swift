import Foundation
import Synchronization

/// `predict-server` as a child process with JSON logs, for tests of what only a real process
/// shows: signals, exit status, reloads. Its port comes from its own "listening" log line.
final class ServerProcess: Sendable {
    private let process: Process
    /// The log lines read so far, and the bytes of a line not yet ended.
    private final class LogLines: Sendable {
        let complete = Mutex<[String]>([])
        let pending = Mutex(Data())

        func withLock<R: Sendable>(_ body: (inout sending [String]) -> sending R) -> R { complete.withLock(body) }
    }

    private let lines = LogLines()
    let port: Int

    /// Starts `predict-server` with `arguments` (`--port 0 --log-format json` are added) and
    /// waits for it to listen.
    init(_ arguments: [String], environment: [String: String] = [:], startTimeout: Duration = .seconds(60)) async throws {
        let tool = try CommandLineTool("predict-server")
        let process = Process()
        process.executableURL = tool.url
        process.arguments = arguments + ["--port", "0", "--log-format", "json"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        self.process = process
        let lines = self.lines
        stderr.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            lines.pending.withLock { buffer in
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: 10) {
                    let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                    buffer.removeSubrange(buffer.startIndex...newline)
                    lines.withLock { $0.append(line) }
                }
            }
            if chunk.isEmpty { handle.readabilityHandler = nil }
        }
        try process.run()
        var found: Int?
        let deadline = ContinuousClock.now + startTimeout
        while found == nil {
            if let line = Self.event("listening", in: lines.withLock { $0 }), let address = line["address"] as? String,
               let port = address.split(separator: ":").last.flatMap({ Int($0) }) {
                found = port
            } else if !process.isRunning {
                throw TestFailure("predict-server exited with \(process.terminationStatus) before listening:\n\(lines.withLock { $0.joined(separator: "\n") })")
            } else if ContinuousClock.now > deadline {
                process.terminate()
                throw TestFailure("predict-server did not listen within \(startTimeout)")
            } else {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        self.port = found!
        // Signals sent before the server traps them would kill it instead of draining it.
        _ = try await waitForEvent("serving", timeout: startTimeout)
    }

    /// Every log line so far, parsed.
    var events: [[String: Any]] {
        lines.withLock { $0 }.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    var log: String { lines.withLock { $0.joined(separator: "\n") } }

    /// The first log line whose message is `message`.
    static func event(_ message: String, in lines: [String]) -> [String: Any]? {
        for line in lines {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            if object["message"] as? String == message { return object }
        }
        return nil
    }

    /// Waits until a log line has `message`, or fails after `timeout`.
    func waitForEvent(_ message: String, timeout: Duration = .seconds(30)) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let event = Self.event(message, in: lines.withLock { $0 }) { return event }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("no '\(message)' log line within \(timeout):\n\(log)")
    }

    func signal(_ number: Int32) { Foundation.kill(process.processIdentifier, number) }

    /// Waits for the process to exit; returns its status, or nil past `timeout` (then kills it).
    func waitForExit(timeout: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                Foundation.kill(process.processIdentifier, SIGKILL)
                return nil
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    /// Kills the process if a test left it running.
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }
}
