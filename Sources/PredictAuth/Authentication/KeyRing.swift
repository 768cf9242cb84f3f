import AsyncHTTPClient
import Foundation
import Logging

/// The verification keys a server trusts: a JWKS file, an HTTPS JWKS URL, or both, each kept
/// fresh by its source. Reading the current set is a lock-protected read, cheap enough for
/// every verification.
public final class KeyRing: Sendable {
    private let file: FileKeySource<KeySet>?
    private let url: URLKeySource<KeySet>?

    /// Loads the file and makes the first fetch of the URL; throws (naming the file or URL) when
    /// either yields no key set, so a server never starts unable to verify anyone.
    public static func load(
        jwksFile: String?, jwksURL: String?, httpClient: HTTPClient?, logger: Logger
    ) async throws -> KeyRing {
        precondition(jwksFile != nil || jwksURL != nil, "a key ring needs a file or a URL")
        let parse: @Sendable (Data) throws -> KeySet = { data in
            let keys = try KeySet(jwks: data)
            for warning in keys.warnings { logger.warning("JWKS key skipped", metadata: ["reason": "\(warning)"]) }
            return keys
        }
        let file = try jwksFile.map { try FileKeySource(path: $0, parse: parse, logger: logger) }
        var url: URLKeySource<KeySet>?
        if let jwksURL {
            guard let httpClient else { preconditionFailure("a JWKS URL needs an HTTP client") }
            let source = try URLKeySource(url: jwksURL, httpClient: httpClient, parse: parse, logger: logger)
            try await source.start()
            url = source
        }
        return KeyRing(file: file, url: url)
    }

    private init(file: FileKeySource<KeySet>?, url: URLKeySource<KeySet>?) {
        self.file = file
        self.url = url
    }

    /// Every key of both sources; a key id in both is the file's.
    public var current: KeySet {
        switch (file?.current.document, url?.current?.document) {
        case (let fileKeys?, nil): return fileKeys
        case (nil, let urlKeys?): return urlKeys
        case (let fileKeys?, let urlKeys?):
            let extra = urlKeys.keys.values.filter { fileKeys.keys[$0.keyID] == nil }
            return KeySet(keys: Array(fileKeys.keys.values) + extra)
        case (nil, nil): return KeySet(keys: [])
        }
    }

    /// A token named a key id the ring lacks: look again, without waiting (the sources
    /// rate-limit re-fetches).
    public func refreshForUnknownKeyID() {
        // Off the caller's thread (an event loop): a stat, maybe a read, maybe a fetch.
        let file = self.file
        let url = self.url
        Task {
            file?.refreshIfChanged()
            _ = await url?.refreshForUnknownKeyID()
        }
    }

    /// Keeps both sources fresh until the task is cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            if let file { group.addTask { await file.run() } }
            if let url { group.addTask { await url.run() } }
        }
    }
}
