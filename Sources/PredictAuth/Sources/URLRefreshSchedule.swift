/// When a ``URLKeySource`` fetches next, as a plain value: fed the fetches' starts and
/// outcomes, asked whether and when to fetch. It owns no clock, so its rules are tested with
/// instants made up by the test.
struct URLRefreshSchedule: Sendable {
    typealias Instant = ContinuousClock.Instant

    let policy: URLKeySourcePolicy
    /// When the latest fetch, successful or not, started; nil before the first.
    private(set) var lastFetchStart: Instant?
    /// When the background loop should fetch next; nil before the first fetch ends (fetch now).
    private(set) var nextRefresh: Instant?
    /// The interval chosen after the latest fetch ended: the clamped `max-age`, the default,
    /// or the failure retry.
    private(set) var scheduledInterval: Duration?

    init(policy: URLKeySourcePolicy) {
        self.policy = policy
    }

    mutating func fetchStarted(at now: Instant) {
        lastFetchStart = now
    }

    mutating func fetchSucceeded(at now: Instant, cacheControl: CacheControlDirectives) {
        schedule(policy.refreshInterval(for: cacheControl), from: now)
    }

    mutating func fetchFailed(at now: Instant) {
        schedule(policy.failureRetry, from: now)
    }

    /// Whether a token naming an unknown key ID may trigger a fetch now: only if no fetch
    /// started within ``URLKeySourcePolicy/minimumRefetchInterval``, so that tokens with
    /// made-up key IDs cost the provider at most one request per interval.
    func allowsUnknownKeyIDFetch(at now: Instant) -> Bool {
        guard let lastFetchStart else { return true }
        return lastFetchStart.duration(to: now) >= policy.minimumRefetchInterval
    }

    /// How long the background loop should wait before fetching; zero means fetch now.
    func timeUntilRefresh(at now: Instant) -> Duration {
        guard let nextRefresh else { return .zero }
        return max(now.duration(to: nextRefresh), .zero)
    }

    private mutating func schedule(_ interval: Duration, from now: Instant) {
        scheduledInterval = interval
        nextRefresh = now.advanced(by: interval)
    }
}
