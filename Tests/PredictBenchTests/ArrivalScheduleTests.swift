import Testing
@testable import PredictBench

@Suite struct ArrivalScheduleTests {
    @Test func uniformArrivalsAreEvenlySpacedWithoutDrift() {
        var schedule = ArrivalSchedule(rate: 3000, arrivals: .uniform)
        let times = (0..<3001).map { _ in schedule.next() }
        #expect(times[0] == 0)
        #expect(times[1] == 333_333)
        #expect(times[2] == 666_667)
        // Computed from the index: exactly one second after 3,000 gaps.
        #expect(times[3000] == 1_000_000_000)
    }

    @Test func poissonArrivalsHaveTheRatesMeanAndExponentialSpread() {
        var schedule = ArrivalSchedule(rate: 10_000, arrivals: .poisson, seed: 7)
        let times = (0..<100_000).map { _ in schedule.next() }
        let gaps = zip(times.dropFirst(), times).map { Double($0 - $1) }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        #expect(abs(mean - 100_000) < 2_000, "mean gap \(mean) ns, expected 100 µs")
        // An exponential's standard deviation equals its mean (a uniform schedule's is 0).
        let variance = gaps.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(gaps.count)
        #expect(abs(variance.squareRoot() / mean - 1) < 0.05)
        // P(gap > mean) = 1/e for an exponential.
        let longer = Double(gaps.filter { $0 > mean }.count) / Double(gaps.count)
        #expect(abs(longer - 0.3679) < 0.01)
    }

    @Test func aSeedGivesTheSameScheduleAndAnotherSeedADifferentOne() {
        var a = ArrivalSchedule(rate: 500, arrivals: .poisson, seed: 1)
        var b = ArrivalSchedule(rate: 500, arrivals: .poisson, seed: 1)
        var c = ArrivalSchedule(rate: 500, arrivals: .poisson, seed: 2)
        let first = (0..<100).map { _ in a.next() }
        #expect(first == (0..<100).map { _ in b.next() })
        #expect(first != (0..<100).map { _ in c.next() })
    }
}
