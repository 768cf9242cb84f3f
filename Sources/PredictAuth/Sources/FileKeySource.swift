import Foundation
import Logging
import NIOConcurrencyHelpers

/// A JWKS from a file: read at start, re-read when it changes.
///
/// A missing or invalid file at start is an error: the server must not start without keys.
/// Afterwards the file is polled (one `stat` of its mtime, size and inode every `pollInterval`,
/// and on demand via ``refreshIfChanged()``); a change that cannot be read or does not parse
/// keeps the last good document and logs one warning per change.
public final class FileKeySource<Document: Sendable>: Sendable {
    /// The file's path, as given.
    public let path: String
    /// How often ``run()`` checks the file.
    public let pollInterval: Duration

    private let parse: @Sendable (Data) throws -> Document
    private let logger: Logger
    private let state: NIOLockedValueBox<State>
    /// Serialises reloads so that a slow parse of an older version cannot overwrite a newer
    /// one; held apart from `state` so ``current`` never waits for file I/O.
    private let reloadLock = NIOLock()

    private struct State {
        var snapshot: KeySourceSnapshot<Document>
        /// The version of the file last looked at, good or bad (nil while it is unreadable),
        /// so that one bad version is parsed and warned about once, not every poll.
        var seen: FileFingerprint?
    }

    /// Reads and parses the file at `path`.
    /// - Parameters:
    ///   - path: The JWKS file.
    ///   - pollInterval: How often ``run()`` checks the file for changes.
    ///   - parse: Turns the file's bytes into a key set; throws if they are not one.
    ///   - logger: Receives warnings about bad changes and notices of reloads.
    /// - Throws: ``KeySourceError`` naming the path: `.fileUnreadable` or `.documentInvalid`.
    public init(
        path: String,
        pollInterval: Duration = .seconds(2),
        parse: @escaping @Sendable (Data) throws -> Document,
        logger: Logger
    ) throws {
        guard pollInterval > .zero else {
            throw KeySourceError(.policyInvalid, "the poll interval of JWKS file '\(path)' must be positive")
        }
        let contents = try FileContents.load(path)
        let document: Document
        do {
            document = try parse(contents.data)
        } catch {
            throw KeySourceError(.documentInvalid, "JWKS file '\(path)' is not a valid key set: \(error)")
        }
        self.path = path
        self.pollInterval = pollInterval
        self.parse = parse
        self.logger = logger
        let snapshot = KeySourceSnapshot(document: document, loadedAt: Date(), origin: path)
        self.state = NIOLockedValueBox(State(snapshot: snapshot, seen: contents.fingerprint))
    }

    /// The latest good key set. A lock-protected read: cheap enough for every request.
    public var current: KeySourceSnapshot<Document> {
        state.withLockedValue { $0.snapshot }
    }

    /// Re-reads the file if its fingerprint changed since it was last looked at. Costs one
    /// `stat` when nothing changed; a change that cannot be used is logged and ignored.
    public func refreshIfChanged() {
        reloadLock.withLock {
            let seen = state.withLockedValue { $0.seen }
            do throws(KeySourceError) {
                guard try FileFingerprint(ofFileAt: path) != seen else { return }
            } catch {
                if seen != nil {
                    logger.warning(
                        "JWKS file is unreadable; keeping the last good key set",
                        metadata: ["path": "\(path)", "reason": "\(error.message)"]
                    )
                    state.withLockedValue { $0.seen = nil }
                }
                return
            }
            reload()
        }
    }

    /// Checks the file every ``pollInterval`` until the calling task is cancelled.
    public func run() async {
        while true {
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                return
            }
            refreshIfChanged()
        }
    }

    /// Reads, parses and installs the file; called with `reloadLock` held.
    private func reload() {
        let contents: FileContents
        do throws(KeySourceError) {
            contents = try FileContents.load(path)
        } catch {
            logger.warning(
                "JWKS file is unreadable; keeping the last good key set",
                metadata: ["path": "\(path)", "reason": "\(error.message)"]
            )
            state.withLockedValue { $0.seen = nil }
            return
        }
        do {
            let document = try parse(contents.data)
            let snapshot = KeySourceSnapshot(document: document, loadedAt: Date(), origin: path)
            state.withLockedValue { $0 = State(snapshot: snapshot, seen: contents.fingerprint) }
            logger.info("JWKS file reloaded", metadata: ["path": "\(path)"])
        } catch {
            state.withLockedValue { $0.seen = contents.fingerprint }
            logger.warning(
                "JWKS file changed but is not a valid key set; keeping the last good key set",
                metadata: ["path": "\(path)", "reason": "\(error)"]
            )
        }
    }
}
