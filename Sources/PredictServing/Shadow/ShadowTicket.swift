import Synchronization

/// One call copied to a shadow version: it waits for both answers, in either order, then
/// records their comparison. The caller's answer is never held for it.
public final class ShadowTicket: Sendable {
    private let ledger: ShadowLedger
    private let pair: ShadowLedger.Pair
    private let started: UInt64
    private let state = Mutex<State>(State())

    private struct State {
        var primary: (InferenceOutcome, UInt64)?
        var shadow: (InferenceOutcome, UInt64)?
        var done = false
    }

    init(ledger: ShadowLedger, pair: ShadowLedger.Pair) {
        self.ledger = ledger
        self.pair = pair
        self.started = MonotonicClock.nanoseconds()
    }

    /// The caller's outcome, as it was answered.
    public func primaryFinished(_ outcome: InferenceOutcome) {
        finish { $0.primary = (outcome, MonotonicClock.nanoseconds() &- started) }
    }

    func shadowFinished(_ outcome: InferenceOutcome) {
        finish { $0.shadow = (outcome, MonotonicClock.nanoseconds() &- started) }
    }

    private func finish(_ record: (inout State) -> Void) {
        let both: ((InferenceOutcome, UInt64), (InferenceOutcome, UInt64))? = state.withLock { state in
            record(&state)
            guard !state.done, let primary = state.primary, let shadow = state.shadow else { return nil }
            state.done = true
            return (primary, shadow)
        }
        guard let ((primary, primaryTime), (shadow, shadowTime)) = both else { return }
        switch (primary, shadow) {
        case (.success(let answer), .success(let copy)):
            ledger.compared(pair, ShadowComparison(primary: answer, shadow: copy), primaryNanoseconds: primaryTime, shadowNanoseconds: shadowTime)
        case (_, .failure(let error)) where error.code == .resourceExhausted:
            ledger.shed(pair)
        case (_, .failure):
            ledger.shadowFailed(pair)
        case (.failure, .success):
            break  // the caller got an error; there is nothing to compare against
        }
    }
}
