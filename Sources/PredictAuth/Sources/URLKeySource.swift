import AsyncHTTPClient
import Foundation
import Logging
import NIOConcurrencyHelpers

/// A JWKS from an HTTPS URL, fetched with AsyncHTTPClient and kept fresh in the background.
///
/// ``start()`` makes the first fetch and throws if it fails: the server must not start without
/// keys. ``run()`` then refreshes as the response's `Cache-Control: max-age` asks, clamped by
/// the ``URLKeySourcePolicy``. A failed refresh (network error, non-200 status, oversized body,
/// a document that does not parse) keeps the last good key set, logs a warning naming the URL
/// and the reason, and is retried after ``URLKeySourcePolicy/failureRetry``.
///
/// All fetches, whoever asks for them, go through one in-flight request at a time: concurrent
/// callers share it.
public final class URLKeySource<Document: Sendable>: Sendable {
    /// The JWKS URL, as given.
    public let url: String
    /// When this source fetches and what it accepts.
    public let policy: URLKeySourcePolicy

    let httpClient: HTTPClient
    let parse: @Sendable (Data) throws -> Document
    let logger: Logger
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state: NIOLockedValueBox<State>

    /// A fetch's result, as every caller sharing it sees it.
    typealias FetchOutcome = Result<KeySourceSnapshot<Document>, KeySourceError>

    private struct State {
        var snapshot: KeySourceSnapshot<Document>?
        var schedule: URLRefreshSchedule
        var inFlight: Task<FetchOutcome, Never>?
        /// How many callers await `inFlight`; lets tests see that callers really share it.
        var inFlightWaiters = 0
    }

    /// Checks the URL and the policy; fetches nothing until ``start()`` or ``run()``.
    /// - Parameters:
    ///   - url: The JWKS URL: `https`, or `http` only for a loopback host.
    ///   - httpClient: The client to fetch with; the caller owns it and shuts it down.
    ///   - parse: Turns a response body into a key set; throws if it is not one.
    ///   - logger: Receives warnings about failed fetches (URL and reason, never the body).
    ///   - policy: Refresh intervals and limits.
    /// - Throws: ``KeySourceError`` `.urlRejected` or `.policyInvalid`.
    public convenience init(
        url: String,
        httpClient: HTTPClient,
        parse: @escaping @Sendable (Data) throws -> Document,
        logger: Logger,
        policy: URLKeySourcePolicy = .init()
    ) throws {
        try self.init(url: url, httpClient: httpClient, parse: parse, logger: logger, policy: policy, now: { .now })
    }

    /// As the public initialiser, with the clock's `now` replaceable so tests can step past
    /// ``URLKeySourcePolicy/minimumRefetchInterval`` without waiting for it.
    init(
        url: String,
        httpClient: HTTPClient,
        parse: @escaping @Sendable (Data) throws -> Document,
        logger: Logger,
        policy: URLKeySourcePolicy,
        now: @escaping @Sendable () -> ContinuousClock.Instant
    ) throws(KeySourceError) {
        self.url = try KeySourceURL.validated(url)
        try policy.validate()
        self.policy = policy
        self.httpClient = httpClient
        self.parse = parse
        self.logger = logger
        self.now = now
        self.state = NIOLockedValueBox(State(schedule: URLRefreshSchedule(policy: policy)))
    }

    /// Makes the first fetch.
    /// - Throws: ``KeySourceError`` `.fetchFailed` or `.documentInvalid` naming the URL.
    public func start() async throws {
        if case .failure(let error) = await sharedFetch() {
            throw error
        }
    }

    /// The latest good key set; nil until a fetch has succeeded. A lock-protected read: cheap
    /// enough for every request.
    public var current: KeySourceSnapshot<Document>? {
        state.withLockedValue { $0.snapshot }
    }

    /// For a token naming a key ID the current set lacks: fetches now, unless a fetch started
    /// within ``URLKeySourcePolicy/minimumRefetchInterval``; joins a fetch already in flight.
    ///
    /// - Returns: The key set to look the key ID up in again: the one just fetched, or else
    ///   the current one (which may still be newer than what the caller saw, if another
    ///   caller's fetch just finished). Nil only while no fetch has ever succeeded.
    public func refreshForUnknownKeyID() async -> KeySourceSnapshot<Document>? {
        let task: Task<FetchOutcome, Never>? = state.withLockedValue { state in
            if state.inFlight == nil, !state.schedule.allowsUnknownKeyIDFetch(at: now()) {
                return nil
            }
            return startOrJoinFetch(&state)
        }
        guard let task else {
            logger.debug("Unknown JWKS key ID, but the key set was fetched moments ago", metadata: ["url": "\(url)"])
            return current
        }
        _ = await task.value
        return current
    }

    /// Refreshes in the background until the calling task is cancelled: when the latest
    /// response's caching allows, or sooner after a failure. Fetches at once if nothing has
    /// been fetched yet. A fetch in flight when the task is cancelled runs to its end (at most
    /// ``URLKeySourcePolicy/requestTimeout``) before this returns.
    public func run() async {
        while !Task.isCancelled {
            let wait = state.withLockedValue { $0.schedule.timeUntilRefresh(at: now()) }
            if wait > .zero {
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    return
                }
                // Re-read the schedule: an unknown-key-ID fetch may have moved it meanwhile.
                continue
            }
            _ = await sharedFetch()
        }
    }

    /// The interval chosen after the latest fetch ended, for tests.
    var scheduledRefreshInterval: Duration? {
        state.withLockedValue { $0.schedule.scheduledInterval }
    }

    /// How many callers await the fetch in flight (zero when none is), for tests.
    var inFlightWaiters: Int {
        state.withLockedValue { $0.inFlightWaiters }
    }

    /// Joins the fetch in flight or starts one.
    private func sharedFetch() async -> FetchOutcome {
        let task = state.withLockedValue { startOrJoinFetch(&$0) }
        return await task.value
    }

    private func startOrJoinFetch(_ state: inout State) -> Task<FetchOutcome, Never> {
        state.inFlightWaiters += 1
        if let task = state.inFlight { return task }
        state.schedule.fetchStarted(at: now())
        // Unstructured on purpose: the fetch belongs to every caller sharing it, so one
        // caller's cancellation must not cancel it for the others.
        let task = Task { await self.fetchAndRecord() }
        state.inFlight = task
        return task
    }

    /// Fetches, installs the result and reschedules; the body of the shared task.
    private func fetchAndRecord() async -> FetchOutcome {
        let outcome = await fetchDocument()
        let finished = now()
        let (interval, hadKeys) = state.withLockedValue { state in
            state.inFlight = nil
            state.inFlightWaiters = 0
            let hadKeys = state.snapshot != nil
            switch outcome {
            case .success(let fetched):
                state.snapshot = fetched.snapshot
                state.schedule.fetchSucceeded(at: finished, cacheControl: fetched.cacheControl)
            case .failure:
                state.schedule.fetchFailed(at: finished)
            }
            return (state.schedule.scheduledInterval ?? .zero, hadKeys)
        }
        switch outcome {
        case .success:
            logger.debug("JWKS fetched", metadata: ["url": "\(url)", "next_refresh_in": "\(interval)"])
        case .failure(let failure):
            logger.warning(
                hadKeys ? "JWKS fetch failed; keeping the last good key set" : "JWKS fetch failed; no key set yet",
                metadata: ["url": "\(url)", "reason": "\(failure.reason)", "retry_in": "\(interval)"]
            )
        }
        return outcome.map(\.snapshot).mapError { $0.error(url: url) }
    }
}
