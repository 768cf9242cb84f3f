import Foundation
import Logging
import PredictProtocol

/// swift-log's handler for `--log-format json`: one JSON object per line on standard error,
/// with `time` (RFC 3339, UTC, milliseconds), `level`, `logger`, `message` and each metadata
/// key at the top level, as log collectors (Cloud Logging, Loki, Elasticsearch) index them.
/// Cloud Logging reads `severity`, so the level is written there too.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let write: @Sendable (String) -> Void

    /// - Parameter write: Receives each line without its newline; default standard error.
    public init(label: String, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        var line = "{\"time\":\(JSONStringLiteral.quoted(Self.timestamp(Date())))"
        line += ",\"level\":\(JSONStringLiteral.quoted(event.level.rawValue))"
        line += ",\"severity\":\(JSONStringLiteral.quoted(Self.severity(event.level)))"
        line += ",\"logger\":\(JSONStringLiteral.quoted(label))"
        line += ",\"message\":\(JSONStringLiteral.quoted(event.message.description))"
        for key in merged.keys.sorted() where !Self.reserved.contains(key) {
            line += ",\(JSONStringLiteral.quoted(key)):\(Self.json(merged[key]!))"
        }
        line += "}"
        write(line)
    }

    private static let reserved: Set<String> = ["time", "level", "severity", "logger", "message"]

    static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let string): JSONStringLiteral.quoted(string)
        case .stringConvertible(let convertible): JSONStringLiteral.quoted(convertible.description)
        case .array(let values): "[" + values.map(json).joined(separator: ",") + "]"
        case .dictionary(let values):
            "{" + values.keys.sorted().map { "\(JSONStringLiteral.quoted($0)):\(json(values[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    /// Cloud Logging's severity names.
    static func severity(_ level: Logger.Level) -> String {
        switch level {
        case .trace, .debug: "DEBUG"
        case .info: "INFO"
        case .notice: "NOTICE"
        case .warning: "WARNING"
        case .error: "ERROR"
        case .critical: "CRITICAL"
        }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    /// One `write` per line, so lines from several threads never interleave.
    public static let standardError: @Sendable (String) -> Void = { line in
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
    }
}
