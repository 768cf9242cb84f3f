import Foundation
import Logging
import Synchronization
import Testing
@testable import PredictServer

/// `--log-format json`: one parseable object per event, metadata at the top level.
struct JSONLogHandlerTests {
    static func capture(_ body: (Logger) -> Void) -> [[String: Any]] {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "predict.test") { label in
            JSONLogHandler(label: label) { line in lines.withLock { $0.append(line) } }
        }
        logger.logLevel = .debug
        body(logger)
        return lines.withLock { $0 }.map { line in
            #expect(!line.contains("\n"), "one line per event")
            return (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? ["unparsed": line]
        }
    }

    @Test func eachEventIsOneObjectWithItsMetadata() throws {
        let events = Self.capture { logger in
            var logger = logger
            logger[metadataKey: "peer"] = "127.0.0.1:5000"
            logger.info("call", metadata: ["call_id": "7", "model": "iris", "nested": ["a": "1"], "list": ["x", "y"]])
        }
        let event = try #require(events.first)
        #expect(event["message"] as? String == "call")
        #expect(event["level"] as? String == "info")
        #expect(event["severity"] as? String == "INFO")
        #expect(event["logger"] as? String == "predict.test")
        #expect(event["call_id"] as? String == "7")
        #expect(event["model"] as? String == "iris")
        #expect(event["peer"] as? String == "127.0.0.1:5000")
        #expect((event["nested"] as? [String: String]) == ["a": "1"])
        #expect((event["list"] as? [String]) == ["x", "y"])
        let time = try #require(event["time"] as? String)
        #expect(time.hasSuffix("Z") && time.contains("T") && time.contains("."), "\(time)")
    }

    @Test func quotesNewlinesAndControlCharactersAreEscaped() throws {
        let events = Self.capture { logger in
            logger.warning("a \"quoted\"\nmessage\u{1}", metadata: ["reason": "line1\nline2\\"])
        }
        let event = try #require(events.first)
        #expect(event["message"] as? String == "a \"quoted\"\nmessage\u{1}")
        #expect(event["reason"] as? String == "line1\nline2\\")
        #expect(event["severity"] as? String == "WARNING")
    }

    @Test func metadataCannotOverwriteTheEnvelope() throws {
        let events = Self.capture { logger in
            logger.error("real", metadata: ["message": "forged", "level": "debug"])
        }
        let event = try #require(events.first)
        #expect(event["message"] as? String == "real")
        #expect(event["level"] as? String == "error")
    }
}
