import Foundation
import NIOConcurrencyHelpers
import Testing
@testable import PredictAuth

/// FileKeySource: a JWKS file read at start and re-read when it changes, never losing the last
/// good key set to a bad change.
@Suite struct KeySourceFileTests {
    let directory: KeySourceTemporaryDirectory
    let log = KeySourceLogRecorder()

    init() throws {
        directory = try KeySourceTemporaryDirectory()
    }

    private func makeSource(_ name: String = "jwks.json", pollInterval: Duration = .seconds(2)) throws -> FileKeySource<KeySourceTestDocument> {
        try FileKeySource(path: directory.file(name), pollInterval: pollInterval, parse: KeySourceTestDocument.parse, logger: log.logger)
    }

    @Test func initialLoadParsesTheFile() throws {
        try directory.replace("jwks.json", with: KeySourceTestDocument.json("a", "b"))
        let source = try makeSource()
        #expect(source.current.document.kids == ["a", "b"])
        #expect(source.current.origin == directory.file("jwks.json"))
        #expect(log.warnings.isEmpty)
    }

    @Test func missingFileAtStartThrowsNamingThePath() throws {
        let error = try #require(throws: KeySourceError.self) { try makeSource("absent.json") }
        #expect(error.code == .fileUnreadable)
        #expect(error.message.contains(directory.file("absent.json")))
        #expect(error.message.contains("No such file"))
    }

    @Test func invalidFileAtStartThrowsNamingThePath() throws {
        try directory.replace("jwks.json", with: "{not json")
        let error = try #require(throws: KeySourceError.self) { try makeSource() }
        #expect(error.code == .documentInvalid)
        #expect(error.message.contains(directory.file("jwks.json")))
    }

    @Test func directoryInsteadOfAFileThrows() throws {
        try FileManager.default.createDirectory(atPath: directory.file("keys"), withIntermediateDirectories: false)
        let error = try #require(throws: KeySourceError.self) { try makeSource("keys") }
        #expect(error.code == .fileUnreadable)
        #expect(error.message.contains("not a regular file"))
    }

    @Test func fileRewrittenInPlaceIsPickedUp() throws {
        try directory.replace("jwks.json", with: KeySourceTestDocument.json("a"))
        let source = try makeSource()
        // Same size, same inode: only the mtime tells the versions apart.
        try directory.overwrite("jwks.json", with: KeySourceTestDocument.json("b"), modified: Date(timeIntervalSinceNow: 60))
        source.refreshIfChanged()
        #expect(source.current.document.kids == ["b"])
        #expect(log.warnings.isEmpty)
    }

    @Test func fileReplacedByRenameIsPickedUp() throws {
        try directory.replace("jwks.json", with: KeySourceTestDocument.json("a"))
        let source = try makeSource()
        try directory.replace("jwks.json", with: KeySourceTestDocument.json("a", "c"))
        source.refreshIfChanged()
        #expect(source.current.document.kids == ["a", "c"])
    }

    @Test func unchangedFileIsNotParsedAgain() throws {
        try directory.replace("jwks.json", with: KeySourceTestDocument.json("a"))
        let parses = NIOLockedValueBox(0)
        let source = try FileKeySource(path: directory.file("jwks.json"), parse: { data in
            parses.withLockedValue { $0 += 1 }
            return try KeySourceTestDocument.parse(data)
        }, logger: log.logger)
        let loadedAt = source.current.loadedAt
        for _ in 0..<5 { source.refreshIfChanged() }
        #expect(parses.withLockedValue { $0 } == 1)
        #expect(source.current.loadedAt == loadedAt)
    }

    @Test func invalidRewriteKeepsTheLastGoodKeySetAndWarnsOnce() throws {
        try directory.replace("jwks.json", with: KeySourceTestDocument.json("a"))
        let source = try makeSource()
        try directory.replace("jwks.json", with: #"{"keys": "half-written"#)
        for _ in 0..<3 { source.refreshIfChanged() }
        #expect(source.current.document.kids == ["a"])
        #expect(log.warnings.count == 1)
        #expect(log.warnings.first?.text.contains(directory.file("jwks.json")) == true)

        try directory.replace("jwks.json", with: KeySourceTestDocument.json("b"))
        source.refreshIfChanged()
        #expect(source.current.document.kids == ["b"])
    }

    @Test func deletedFileKeepsTheLastGoodKeySetUntilItReturns() throws {
        try directory.replace("jwks.json", with: KeySourceTestDocument.json("a"))
        let source = try makeSource()
        try FileManager.default.removeItem(atPath: directory.file("jwks.json"))
        source.refreshIfChanged()
        source.refreshIfChanged()
        #expect(source.current.document.kids == ["a"])
        #expect(log.warnings.count == 1)

        try directory.replace("jwks.json", with: KeySourceTestDocument.json("z"))
        source.refreshIfChanged()
        #expect(source.current.document.kids == ["z"])
    }

    @Test func runPicksUpAChangeAndStopsWhenCancelled() async throws {
        try directory.replace("jwks.json", with: KeySourceTestDocument.json("a"))
        let source = try makeSource(pollInterval: .milliseconds(50))
        let running = Task { await source.run() }
        try directory.replace("jwks.json", with: KeySourceTestDocument.json("b"))
        try await KeySourceWait.until("the poll picks up the new file") { source.current.document.kids == ["b"] }

        running.cancel()
        try await KeySourceWait.finished("run() returns after cancellation", running)
    }
}
