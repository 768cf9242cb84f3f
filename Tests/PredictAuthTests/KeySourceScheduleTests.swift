import Testing
@testable import PredictAuth

/// The rules of when a URL key source fetches, as plain values: Cache-Control parsing, the
/// policy's clamping, and the schedule's rate limit, all without sockets or sleeping.
@Suite struct KeySourceScheduleTests {
    private let start = ContinuousClock.now

    @Test(arguments: [
        ([], CacheControlDirectives()),
        (["max-age=60"], CacheControlDirectives(maxAge: 60)),
        (["public", " Max-Age = 90 "], CacheControlDirectives(maxAge: 90)),
        (["max-age=\"45\""], CacheControlDirectives(maxAge: 45)),
        (["max-age=10, max-age=20"], CacheControlDirectives(maxAge: 10)),
        (["max-age=-1"], CacheControlDirectives()),
        (["max-age=1e3"], CacheControlDirectives()),
        (["max-age"], CacheControlDirectives()),
        (["s-maxage=600"], CacheControlDirectives()),
        (["max-age=99999999999999999999999"], CacheControlDirectives(maxAge: Int.max)),
        (["no-store"], CacheControlDirectives(forbidsCaching: true)),
        (["private, no-cache=\"set-cookie\", max-age=5"], CacheControlDirectives(maxAge: 5, forbidsCaching: true)),
    ] as [([String], CacheControlDirectives)])
    func cacheControlDirectivesAreParsed(fieldValues: [String], expected: CacheControlDirectives) {
        #expect(CacheControlDirectives(fieldValues: fieldValues) == expected)
    }

    @Test func refreshIntervalIsMaxAgeClampedOrTheDefault() {
        let policy = URLKeySourcePolicy()
        #expect(policy.refreshInterval(for: .init(maxAge: 600)) == .seconds(600))
        #expect(policy.refreshInterval(for: .init(maxAge: 0)) == .seconds(60))
        #expect(policy.refreshInterval(for: .init(maxAge: Int.max)) == .seconds(86_400))
        #expect(policy.refreshInterval(for: .init()) == .seconds(3600))
        #expect(policy.refreshInterval(for: .init(maxAge: 600, forbidsCaching: true)) == .seconds(60))
    }

    @Test func firstFetchIsDueAtOnceAndUnknownKeyIDsMayTriggerIt() {
        let schedule = URLRefreshSchedule(policy: .init())
        #expect(schedule.timeUntilRefresh(at: start) == .zero)
        #expect(schedule.allowsUnknownKeyIDFetch(at: start))
    }

    @Test func successSchedulesTheRefreshFromWhenTheFetchEnded() {
        var schedule = URLRefreshSchedule(policy: .init())
        schedule.fetchStarted(at: start)
        schedule.fetchSucceeded(at: start + .seconds(2), cacheControl: .init(maxAge: 300))
        #expect(schedule.scheduledInterval == .seconds(300))
        #expect(schedule.timeUntilRefresh(at: start + .seconds(2)) == .seconds(300))
        #expect(schedule.timeUntilRefresh(at: start + .seconds(1000)) == .zero)
    }

    @Test func failureSchedulesTheRetry() {
        var schedule = URLRefreshSchedule(policy: .init(failureRetry: .seconds(12)))
        schedule.fetchStarted(at: start)
        schedule.fetchFailed(at: start)
        #expect(schedule.scheduledInterval == .seconds(12))
        #expect(schedule.timeUntilRefresh(at: start + .seconds(2)) == .seconds(10))
    }

    @Test func unknownKeyIDFetchWaitsForTheMinimumIntervalAfterAnyFetch() {
        var schedule = URLRefreshSchedule(policy: .init(minimumRefetchInterval: .seconds(30)))
        schedule.fetchStarted(at: start)
        schedule.fetchFailed(at: start + .seconds(1))
        #expect(!schedule.allowsUnknownKeyIDFetch(at: start + .seconds(29)))
        #expect(schedule.allowsUnknownKeyIDFetch(at: start + .seconds(30)))
    }

    @Test func loopbackHostsAreRecognised() {
        for host in ["localhost", "LOCALHOST.", "127.0.0.1", "127.255.0.9", "::1", "[::1]"] {
            #expect(KeySourceURL.isLoopback(host), "\(host)")
        }
        for host in ["example.com", "128.0.0.1", "127.0.0", "127.0.0.256", "127.0.0.1.nip.io", "::2", "0127.0.0.1"] {
            #expect(!KeySourceURL.isLoopback(host), "\(host)")
        }
    }
}
