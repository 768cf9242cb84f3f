import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing
@testable import PredictAuth

/// URLKeySource against a scripted local HTTP server: the first fetch gates start-up, caching
/// headers set the refresh, failures keep the last good key set, and unknown key IDs cannot
/// make the server hammer the provider.
@Suite struct KeySourceURLTests {
    let log = KeySourceLogRecorder()
    let clock = KeySourceTestClock()

    private func makeSource(
        _ server: KeySourceHTTPServer,
        policy: URLKeySourcePolicy = .init()
    ) throws -> URLKeySource<KeySourceTestDocument> {
        try URLKeySource(
            url: server.url,
            httpClient: .shared,
            parse: KeySourceTestDocument.parse,
            logger: log.logger,
            policy: policy,
            now: { [clock] in clock.now }
        )
    }

    private static func keys(_ kids: String..., cacheControl: String? = nil) -> KeySourceHTTPServer.Reply {
        .init(headers: cacheControl.map { [("Cache-Control", $0)] } ?? [], body: KeySourceTestDocument.json(kids))
    }

    @Test func startFetchesTheKeySet() async throws {
        let server = try await KeySourceHTTPServer.start(replying: Self.keys("a", "b"))
        defer { Task { await server.stop() } }
        let source = try makeSource(server)
        #expect(source.current == nil)
        try await source.start()
        #expect(source.current?.document.kids == ["a", "b"])
        #expect(source.current?.origin == server.url)
        #expect(server.requestCount == 1)
    }

    @Test func startThrowsWhenTheServerAnswers500() async throws {
        let server = try await KeySourceHTTPServer.start(replying: .init(status: .internalServerError, body: "secret page"))
        defer { Task { await server.stop() } }
        let source = try makeSource(server)
        let error = try await #require(throws: KeySourceError.self) { try await source.start() }
        #expect(error.code == .fetchFailed)
        #expect(error.message.contains(server.url))
        #expect(error.message.contains("HTTP status 500"))
        #expect(!error.message.contains("secret page"))
        #expect(source.current == nil)
    }

    @Test func startThrowsWhenTheDocumentDoesNotParse() async throws {
        let server = try await KeySourceHTTPServer.start(replying: .init(body: #"{"keys": 7}"#))
        defer { Task { await server.stop() } }
        let source = try makeSource(server)
        let error = try await #require(throws: KeySourceError.self) { try await source.start() }
        #expect(error.code == .documentInvalid)
        #expect(error.message.contains(server.url))
        #expect(source.current == nil)
    }

    @Test(arguments: [
        ("max-age=120", Duration.seconds(120)),
        ("public, MAX-AGE=\"300\"", .seconds(300)),
        ("max-age=5", .seconds(60)),
        ("max-age=999999999", .seconds(86_400)),
        ("no-store", .seconds(60)),
        ("no-cache, max-age=600", .seconds(60)),
        ("max-age=soon", .seconds(3600)),
        (nil, .seconds(3600)),
    ] as [(String?, Duration)])
    func cacheControlMaxAgeSetsTheRefreshWithinTheBounds(cacheControl: String?, expected: Duration) async throws {
        let server = try await KeySourceHTTPServer.start(replying: Self.keys("a", cacheControl: cacheControl))
        defer { Task { await server.stop() } }
        let source = try makeSource(server)
        try await source.start()
        #expect(source.scheduledRefreshInterval == expected)
    }

    @Test func failedRefreshKeepsTheLastGoodKeySetAndRetriesSooner() async throws {
        let server = try await KeySourceHTTPServer.start(replying: Self.keys("a", cacheControl: "max-age=600"))
        defer { Task { await server.stop() } }
        let source = try makeSource(server, policy: .init(failureRetry: .seconds(7)))
        try await source.start()
        let good = try #require(source.current)

        server.reply(with: .init(status: .serviceUnavailable, body: "secret page"))
        clock.advance(by: .seconds(31))
        #expect(await source.refreshForUnknownKeyID() == good)
        #expect(source.current == good)
        #expect(source.scheduledRefreshInterval == .seconds(7))

        server.reply(with: .init(body: "not json, secret"))
        clock.advance(by: .seconds(31))
        #expect(await source.refreshForUnknownKeyID() == good)
        #expect(server.requestCount == 3)

        let warnings = log.warnings
        #expect(warnings.count == 2)
        #expect(warnings.allSatisfy { $0.metadata["url"] == server.url })
        #expect(warnings.first?.metadata["reason"] == "HTTP status 503")
        #expect(warnings.allSatisfy { !$0.text.contains("secret") })
    }

    @Test func unknownKeyIDRefetchesOnceWithinTheMinimumInterval() async throws {
        let server = try await KeySourceHTTPServer.start(replying: Self.keys("a"))
        defer { Task { await server.stop() } }
        let source = try makeSource(server)
        try await source.start()
        server.reply(with: Self.keys("a", "b"))

        // start() was a fetch moments ago: a made-up key ID gets the current set back.
        #expect(await source.refreshForUnknownKeyID()?.document.kids == ["a"])
        #expect(server.requestCount == 1)

        clock.advance(by: .seconds(30))
        #expect(await source.refreshForUnknownKeyID()?.document.kids == ["a", "b"])
        #expect(server.requestCount == 2)

        clock.advance(by: .seconds(29))
        #expect(await source.refreshForUnknownKeyID()?.document.kids == ["a", "b"])
        #expect(server.requestCount == 2)
    }

    @Test func concurrentUnknownKeyIDCallersShareOneFetch() async throws {
        let server = try await KeySourceHTTPServer.start(replying: Self.keys("a"))
        defer { Task { await server.stop() } }
        // No rate limit, so only sharing the fetch in flight keeps the count at one.
        let source = try makeSource(server, policy: .init(minimumRefetchInterval: .zero))
        try await source.start()
        server.reply(with: Self.keys("b"))
        server.hold()

        let callers = 8
        let results = Task {
            await withTaskGroup(of: [String]?.self) { group in
                for _ in 0..<callers {
                    group.addTask { await source.refreshForUnknownKeyID()?.document.kids }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        try await KeySourceWait.until("all callers wait on one fetch") {
            server.requestCount == 2 && source.inFlightWaiters == callers
        }
        server.release()
        #expect(await results.value == Array(repeating: ["b"], count: callers))
        #expect(server.requestCount == 2)
    }

    @Test(arguments: [false, true])
    func bodyOverTheLimitIsRefused(chunked: Bool) async throws {
        var reply = Self.keys("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")
        reply.chunked = chunked
        let server = try await KeySourceHTTPServer.start(replying: reply)
        defer { Task { await server.stop() } }
        let source = try makeSource(server, policy: .init(maximumDocumentBytes: 64))
        let error = try await #require(throws: KeySourceError.self) { try await source.start() }
        #expect(error.code == .fetchFailed)
        #expect(error.message.contains("larger than 64 bytes"))
        #expect(source.current == nil)
    }

    @Test func slowResponseTimesOut() async throws {
        let server = try await KeySourceHTTPServer.start(replying: Self.keys("a"))
        defer { Task { await server.stop() } }
        server.hold()
        let source = try makeSource(server, policy: .init(requestTimeout: .milliseconds(200)))
        let error = try await #require(throws: KeySourceError.self) { try await source.start() }
        #expect(error.code == .fetchFailed)
        #expect(source.current == nil)
    }

    @Test func bodyThatNeverEndsTimesOut() async throws {
        var reply = Self.keys("a")
        reply.stallsBody = true
        let server = try await KeySourceHTTPServer.start(replying: reply)
        defer { Task { await server.stop() } }
        let source = try makeSource(server, policy: .init(requestTimeout: .milliseconds(200)))
        let error = try await #require(throws: KeySourceError.self) { try await source.start() }
        #expect(error.code == .fetchFailed)
        #expect(error.message.contains("no complete response within"))
    }

    @Test func runRefreshesOnScheduleAndStopsWhenCancelled() async throws {
        let server = try await KeySourceHTTPServer.start(replying: Self.keys("a", cacheControl: "max-age=0"))
        defer { Task { await server.stop() } }
        // The real clock here: run() sleeps for real.
        let source = try URLKeySource(
            url: server.url,
            httpClient: .shared,
            parse: KeySourceTestDocument.parse,
            logger: log.logger,
            policy: .init(minimumRefresh: .milliseconds(50))
        )
        try await source.start()
        let running = Task { await source.run() }
        server.reply(with: Self.keys("b", cacheControl: "max-age=0"))
        try await KeySourceWait.until("a background refresh picks up the new set") {
            source.current?.document.kids == ["b"]
        }
        running.cancel()
        try await KeySourceWait.finished("run() returns after cancellation", running)
    }

    @Test func runWithoutStartFetchesAtOnce() async throws {
        let server = try await KeySourceHTTPServer.start(replying: Self.keys("a"))
        defer { Task { await server.stop() } }
        let source = try makeSource(server)
        let running = Task { await source.run() }
        try await KeySourceWait.until("run() makes the first fetch") { source.current?.document.kids == ["a"] }
        running.cancel()
        try await KeySourceWait.finished("run() returns after cancellation", running)
        #expect(server.requestCount == 1)
    }

    @Test(arguments: [
        "http://example.com/jwks.json",
        "http://127.0.0.1.example.com/jwks.json",
        "http://127.1/jwks.json",
        "http://127.0.0.1@example.com/jwks.json",
        "ftp://127.0.0.1/jwks.json",
        "file:///etc/jwks.json",
        "https:///jwks.json",
        "not a url",
    ])
    func urlThatIsNotHTTPSOrLoopbackIsRefused(url: String) throws {
        let error = try #require(throws: KeySourceError.self) {
            try URLKeySource(url: url, httpClient: .shared, parse: KeySourceTestDocument.parse, logger: log.logger)
        }
        #expect(error.code == .urlRejected)
    }

    @Test(arguments: [
        "https://www.googleapis.com/oauth2/v3/certs",
        "HTTPS://issuer.example.com/.well-known/jwks.json",
        "http://127.0.0.1:8080/jwks.json",
        "http://127.8.9.10/jwks.json",
        "http://localhost:9000/jwks.json",
        "http://[::1]:9000/jwks.json",
    ])
    func httpsOrLoopbackURLIsAccepted(url: String) throws {
        let source = try URLKeySource(url: url, httpClient: .shared, parse: KeySourceTestDocument.parse, logger: log.logger)
        #expect(source.url == url)
    }

    @Test func policyWithAZeroRetryIsRefused() throws {
        let error = try #require(throws: KeySourceError.self) {
            try URLKeySource(
                url: "https://issuer.example.com/jwks.json",
                httpClient: .shared,
                parse: KeySourceTestDocument.parse,
                logger: log.logger,
                policy: .init(failureRetry: .zero)
            )
        }
        #expect(error.code == .policyInvalid)
    }
}
