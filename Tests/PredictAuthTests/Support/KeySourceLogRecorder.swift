import Logging
import NIOConcurrencyHelpers

/// A logger that keeps what it is given, to check what key sources warn about.
final class KeySourceLogRecorder: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]

        /// The message and metadata as one line, for "is this mentioned anywhere" checks.
        var text: String {
            ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
    }

    private let entries = NIOLockedValueBox<[Entry]>([])

    var logger: Logger {
        Logger(label: "key-source-tests") { _ in Handler(recorder: self) }
    }

    var warnings: [Entry] {
        entries.withLockedValue { $0.filter { $0.level == .warning } }
    }

    fileprivate func record(_ entry: Entry) {
        entries.withLockedValue { $0.append(entry) }
    }

    private struct Handler: LogHandler {
        let recorder: KeySourceLogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            recorder.record(Entry(
                level: event.level,
                message: "\(event.message)",
                metadata: merged.mapValues { "\($0)" }
            ))
        }
    }
}
