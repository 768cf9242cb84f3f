import PredictClient
import Testing

/// A condition that did not come true in time.
struct NotInTime: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for: \(what)" }
}

/// Waits until `condition` holds, polling every few milliseconds; throws after `timeout`.
func eventually(_ what: String, timeout: Duration = .seconds(20), _ condition: () -> Bool) async throws {
    let clock = ContinuousClock()
    let end = clock.now + timeout
    while !condition() {
        guard clock.now < end else { throw NotInTime(what: what) }
        try await Task.sleep(for: .milliseconds(2))
    }
}

/// The ``PredictClientError`` `body` throws, or nil when it succeeds.
func caught<T>(_ body: () async throws -> T) async -> PredictClientError? {
    do {
        _ = try await body()
        return nil
    } catch let error as PredictClientError {
        return error
    } catch {
        Issue.record("expected a PredictClientError, got \(error)")
        return nil
    }
}
