import NIOConcurrencyHelpers

/// A `now` a test moves by hand, for the rate limit of unknown-key-ID fetches.
final class KeySourceTestClock: Sendable {
    private let start = ContinuousClock.now
    private let offset = NIOLockedValueBox(Duration.zero)

    var now: ContinuousClock.Instant {
        start.advanced(by: offset.withLockedValue { $0 })
    }

    func advance(by duration: Duration) {
        offset.withLockedValue { $0 += duration }
    }
}
