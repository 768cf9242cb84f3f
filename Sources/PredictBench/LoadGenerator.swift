import NIOCore
import Histogram
import PredictProtocol
import Synchronization

/// Drives a ``LoadPlan`` with a ``LoadCall``: keeps calls in flight (closed loop) or starts
/// them on schedule (open loop), and records every call's latency and status.
///
/// Calls are started and finished through callbacks, with no task per call: on a 2-core
/// machine the load generator shares the CPUs with the server it measures, so its own cost
/// per call is kept to a clock read and a tally update.
public final class LoadGenerator: Sendable {
    public let plan: LoadPlan
    /// How many distinct prepared requests the calls cycle through.
    public let requestCount: Int
    private let call: LoadCall
    let recorder = CallRecorder()

    public init(plan: LoadPlan, requestCount: Int, call: @escaping LoadCall) {
        precondition(requestCount > 0, "a load needs at least one request")
        self.plan = plan
        self.requestCount = requestCount
        self.call = call
    }

    /// Runs the warm-up and the measured window, waits for the calls still in flight, and
    /// returns what the window measured.
    public func run() async -> LoadOutcome {
        let window = MeasuredWindow(plan: plan, startingAt: NIODeadline.now().uptimeNanoseconds)
        switch plan.shape {
        case .closedLoop(let concurrency):
            await runClosedLoop(concurrency: concurrency, window: window)
            return LoadOutcome(tally: recorder.measured, seconds: window.seconds)
        case .openLoop(let rate, let arrivals, let maxInFlight):
            let lag = await runOpenLoop(schedule: ArrivalSchedule(rate: rate, arrivals: arrivals), maxInFlight: maxInFlight, window: window)
            return LoadOutcome(
                tally: recorder.measured, seconds: window.seconds,
                generatorLagP99Microseconds: Double(lag.valueAtPercentile(99)) / 1000,
                generatorLagMaxMicroseconds: Double(lag.max) / 1000)
        }
    }

    /// The calls recorded since the last take (warm-up included), for a progress line.
    public func takeInterval() -> (tally: CallTally, seconds: Double) {
        recorder.takeInterval()
    }

    /// Each of `concurrency` chains sends its next call when its last one ends, until the
    /// window closes. A call counts when it started inside the window.
    private func runClosedLoop(concurrency: Int, window: MeasuredWindow) async {
        let live = Counter(concurrency)
        await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
            @Sendable func send(_ index: Int) {
                let started = NIODeadline.now().uptimeNanoseconds
                guard started < window.end else {
                    if live.subtractOne() == 0 { finished.resume() }
                    return
                }
                call(index % requestCount) { [recorder] status in
                    let ended = NIODeadline.now().uptimeNanoseconds
                    recorder.record(latencyNanoseconds: ended - started, status: status, measured: window.contains(started))
                    send(index &+ concurrency)
                }
            }
            for worker in 0..<concurrency { send(worker) }
        }
    }

    /// Starts each call at its scheduled instant (or as soon after as the generator can) and
    /// measures it from that instant. Returns the generator's own lateness.
    private func runOpenLoop(schedule: ArrivalSchedule, maxInFlight: Int, window: MeasuredWindow) async -> Histogram<UInt64> {
        var schedule = schedule
        var lag = Histogram<UInt64>(highestTrackableValue: CallTally.highestLatency, numberOfSignificantValueDigits: .two)
        let inFlight = Counter(0)
        let origin = window.start - plan.warmup.nanoseconds
        var index = 0
        var due = origin + schedule.next()
        while due < window.end {
            let now = NIODeadline.now().uptimeNanoseconds
            if due > now {
                // Sleeps wake late by tens of microseconds; the calls due meanwhile then go out
                // together, each still measured from its own instant.
                try? await Task.sleep(nanoseconds: due - now)
                continue
            }
            if inFlight.value >= maxInFlight {
                try? await Task.sleep(nanoseconds: 100_000)
                continue
            }
            _ = lag.record(min(now - due, CallTally.highestLatency))
            inFlight.addOne()
            let intended = due
            call(index % requestCount) { [recorder] status in
                let ended = NIODeadline.now().uptimeNanoseconds
                recorder.record(latencyNanoseconds: ended - intended, status: status, measured: window.contains(intended))
                _ = inFlight.subtractOne()
            }
            index += 1
            due = origin + schedule.next()
        }
        while inFlight.value > 0 {
            try? await Task.sleep(nanoseconds: 1_000_000)
        }
        return lag
    }
}

/// A count shared with the callbacks that end calls.
private final class Counter: Sendable {
    private let count: Atomic<Int>

    init(_ initial: Int) {
        count = Atomic(initial)
    }

    var value: Int { count.load(ordering: .acquiring) }

    func addOne() {
        count.add(1, ordering: .relaxed)
    }

    /// Returns the count after subtracting.
    func subtractOne() -> Int {
        count.subtract(1, ordering: .acquiringAndReleasing).newValue
    }
}
