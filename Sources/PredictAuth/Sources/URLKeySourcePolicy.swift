/// When a ``URLKeySource`` fetches, and what it accepts.
///
/// The defaults suit an identity provider's public JWKS endpoint: follow its caching headers
/// within an hour-to-a-day-ish window, recover from outages within half a minute, and never
/// let tokens with made-up key IDs turn the server into a load generator against it.
public struct URLKeySourcePolicy: Sendable, Equatable {
    /// The shortest refresh interval, whatever `Cache-Control` says. Also the interval used
    /// when the response forbids caching (`no-store` or `no-cache`): the provider is saying
    /// its keys may change at any time, so check as often as this policy allows.
    public var minimumRefresh: Duration
    /// The longest refresh interval, whatever `Cache-Control` says.
    public var maximumRefresh: Duration
    /// The refresh interval when the response has no usable `max-age` (absent, malformed).
    /// Used as given, not clamped.
    public var defaultRefresh: Duration
    /// How soon after any fetch a token naming an unknown key ID may trigger another one.
    public var minimumRefetchInterval: Duration
    /// How soon a failed fetch is retried (instead of the normal refresh interval).
    public var failureRetry: Duration
    /// How long one fetch may take, connection and body included.
    public var requestTimeout: Duration
    /// The largest accepted document; a larger body is a failed fetch.
    public var maximumDocumentBytes: Int

    public init(
        minimumRefresh: Duration = .seconds(60),
        maximumRefresh: Duration = .seconds(86_400),
        defaultRefresh: Duration = .seconds(3600),
        minimumRefetchInterval: Duration = .seconds(30),
        failureRetry: Duration = .seconds(30),
        requestTimeout: Duration = .seconds(10),
        maximumDocumentBytes: Int = 1 << 20
    ) {
        self.minimumRefresh = minimumRefresh
        self.maximumRefresh = maximumRefresh
        self.defaultRefresh = defaultRefresh
        self.minimumRefetchInterval = minimumRefetchInterval
        self.failureRetry = failureRetry
        self.requestTimeout = requestTimeout
        self.maximumDocumentBytes = maximumDocumentBytes
    }

    /// How long to keep a document fetched with these caching directives before refreshing it.
    func refreshInterval(for cacheControl: CacheControlDirectives) -> Duration {
        if cacheControl.forbidsCaching { return minimumRefresh }
        guard let maxAge = cacheControl.maxAge else { return defaultRefresh }
        return min(max(.seconds(maxAge), minimumRefresh), maximumRefresh)
    }

    /// Throws unless every interval is positive and the refresh bounds are ordered; zero
    /// intervals would turn the refresh loop into a busy loop against the provider.
    func validate() throws(KeySourceError) {
        let intervals: [(String, Duration)] = [
            ("minimumRefresh", minimumRefresh), ("maximumRefresh", maximumRefresh),
            ("defaultRefresh", defaultRefresh), ("failureRetry", failureRetry),
            ("requestTimeout", requestTimeout),
        ]
        for (name, interval) in intervals where interval <= .zero {
            throw KeySourceError(.policyInvalid, "JWKS refresh policy: \(name) must be positive, not \(interval)")
        }
        guard minimumRefetchInterval >= .zero else {
            throw KeySourceError(.policyInvalid, "JWKS refresh policy: minimumRefetchInterval must not be negative")
        }
        guard minimumRefresh <= maximumRefresh else {
            throw KeySourceError(
                .policyInvalid,
                "JWKS refresh policy: minimumRefresh (\(minimumRefresh)) exceeds maximumRefresh (\(maximumRefresh))"
            )
        }
        guard maximumDocumentBytes > 0 else {
            throw KeySourceError(.policyInvalid, "JWKS refresh policy: maximumDocumentBytes must be positive")
        }
    }
}
