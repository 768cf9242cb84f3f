import NIOConcurrencyHelpers

/// Waiting in key source tests, with timeouts generous enough for two loaded cores: they
/// bound a failure, they never decide a success.
enum KeySourceWait {
    /// A condition or task that did not come true or finish in time.
    struct NotInTime: Error, CustomStringConvertible {
        var what: String
        var description: String { "timed out waiting for: \(what)" }
    }

    /// Waits until `condition` holds, polling every few milliseconds; throws after `timeout`.
    static func until(_ what: String, timeout: Duration = .seconds(20), _ condition: () -> Bool) async throws {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while !condition() {
            guard clock.now < end else { throw NotInTime(what: what) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits for `task` to finish; throws after `timeout` instead of hanging the test run.
    static func finished(_ what: String, _ task: Task<Void, Never>, timeout: Duration = .seconds(20)) async throws {
        let done = NIOLockedValueBox(false)
        Task {
            await task.value
            done.withLockedValue { $0 = true }
        }
        try await until(what, timeout: timeout) { done.withLockedValue { $0 } }
    }
}
