import NIOCore
import PredictProtocol
import Synchronization

/// Where every call's outcome goes, from any task: the run's tally, plus an interval tally the
/// progress line takes each second. Calls started in the warm-up count toward the interval
/// only.
final class CallRecorder: Sendable {
    private struct State {
        var measured = CallTally()
        var interval = CallTally()
        var intervalStartedAt = NIODeadline.now().uptimeNanoseconds
    }

    private let state = Mutex(State())

    func record(latencyNanoseconds: UInt64, status: StatusCode, measured: Bool) {
        state.withLock { state in
            state.interval.record(latencyNanoseconds: latencyNanoseconds, status: status)
            if measured {
                state.measured.record(latencyNanoseconds: latencyNanoseconds, status: status)
            }
        }
    }

    /// The calls recorded since the last take, and the seconds they span.
    func takeInterval() -> (tally: CallTally, seconds: Double) {
        let now = NIODeadline.now().uptimeNanoseconds
        return state.withLock { state in
            defer {
                state.interval = CallTally()
                state.intervalStartedAt = now
            }
            return (state.interval, Double(now - state.intervalStartedAt) / 1e9)
        }
    }

    var measured: CallTally {
        state.withLock { $0.measured }
    }
}
