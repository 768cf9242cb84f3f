import NIOCore
import Dispatch
import PredictProtocol
import Synchronization
import Testing
@testable import PredictBench

@Suite struct LoadGeneratorTests {
    /// A ``LoadCall`` whose calls run `body` in a task of their own.
    static func call(_ body: @escaping @Sendable (Int) async -> StatusCode) -> LoadCall {
        { index, done in Task { done(await body(index)) } }
    }

    /// Counts calls in flight and the most ever seen at once.
    final class Concurrency: Sendable {
        private let state = Mutex((now: 0, most: 0))
        func enter() { state.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
        func leave() { state.withLock { $0.now -= 1 } }
        var most: Int { state.withLock { $0.most } }
    }

    @Test func aClosedLoopKeepsItsConcurrencyInFlightAndCountsStatuses() async {
        let concurrency = Concurrency()
        // Calls answered 2 ms later from a Dispatch queue, off the task pool the other tests
        // keep busy.
        let generator = LoadGenerator(
            plan: LoadPlan(shape: .closedLoop(concurrency: 8), warmup: .zero, duration: .milliseconds(500)),
            requestCount: 4,
            call: { index, done in
                concurrency.enter()
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(2)) {
                    concurrency.leave()
                    done(index == 3 ? .unavailable : .ok)
                }
            })
        let outcome = await generator.run()
        #expect(concurrency.most == 8)
        #expect(outcome.tally.calls > 8)
        // Workers cycle through the 4 requests in step, so one call in four is index 3. Each
        // worker starts at its own index: 8 workers, 2 of them on index 3 each round.
        let unavailable = outcome.tally.statusCounts[.unavailable] ?? 0
        #expect(unavailable > 0)
        #expect(unavailable + (outcome.tally.statusCounts[.ok] ?? 0) == outcome.tally.calls)
        #expect(outcome.tally.errors == unavailable)
        #expect(abs(outcome.tally.errorRate - 0.25) < 0.05)
    }

    @Test func anOpenLoopCountsTheTimeCallsWaitedBehindAStalledServer() async {
        // The "server" answers nothing for its first 200 ms, then at once. Calls due during the
        // stall must be measured from when they were due, not from when they got through.
        let stallEnds = Mutex<UInt64?>(nil)
        let generator = LoadGenerator(
            plan: LoadPlan(shape: .openLoop(rate: 1000, arrivals: .uniform, maxInFlight: 10_000), warmup: .zero, duration: .milliseconds(500)),
            requestCount: 1,
            call: Self.call { _ in
            let end = stallEnds.withLock { end in
                if end == nil { end = NIODeadline.now().uptimeNanoseconds + 200_000_000 }
                return end!
            }
            let now = NIODeadline.now().uptimeNanoseconds
            if now < end { try? await Task.sleep(nanoseconds: end - now) }
            return .ok
        })
        let outcome = await generator.run()
        let tally = outcome.tally
        #expect((450...550).contains(tally.calls), "\(tally.calls) calls at 1,000/s for 0.5 s")
        // About 40% of the calls were due during the stall, waiting 0–200 ms.
        #expect(tally.microseconds(atPercentile: 80) > 50_000)
        #expect(tally.maxMicroseconds > 150_000)
        #expect(tally.microseconds(atPercentile: 50) < tally.microseconds(atPercentile: 90))
    }

    @Test func anOpenLoopNeverExceedsItsInFlightLimit() async {
        let concurrency = Concurrency()
        let generator = LoadGenerator(
            plan: LoadPlan(shape: .openLoop(rate: 2000, arrivals: .poisson, maxInFlight: 5), warmup: .zero, duration: .milliseconds(200)),
            requestCount: 3,
            call: Self.call { _ in
            concurrency.enter()
            try? await Task.sleep(for: .milliseconds(20))
            concurrency.leave()
            return .ok
        })
        let outcome = await generator.run()
        #expect(concurrency.most == 5)
        // Held back, the late calls count their wait: most waited far longer than 20 ms.
        #expect(outcome.tally.microseconds(atPercentile: 50) > 40_000)
    }

    @Test func warmUpCallsAreNotCounted() async {
        let generator = LoadGenerator(
            plan: LoadPlan(shape: .openLoop(rate: 1000, arrivals: .uniform, maxInFlight: 100), warmup: .milliseconds(200), duration: .milliseconds(300)),
            requestCount: 1,
            call: { _, done in done(.ok) })
        let outcome = await generator.run()
        #expect(outcome.tally.calls == 300)
        #expect(abs(outcome.seconds - 0.3) < 1e-9)
        #expect(abs(outcome.callsPerSecond - 1000) < 1e-6)
    }
}
