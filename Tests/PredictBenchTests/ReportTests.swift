import Foundation
import PredictProtocol
import Testing
@testable import PredictBench

@Suite struct ReportTests {
    static func tally(_ latencies: [UInt64], failing: Int = 0) -> CallTally {
        var tally = CallTally()
        for (index, latency) in latencies.enumerated() {
            tally.record(latencyNanoseconds: latency, status: index < failing ? .deadlineExceeded : .ok)
        }
        return tally
    }

    @Test func percentilesComeFromTheRecordedLatencies() {
        // 1, 2, ... 1000 µs.
        let tally = Self.tally((1...1000).map { UInt64($0) * 1000 })
        #expect(abs(tally.microseconds(atPercentile: 50) - 500) <= 1)
        #expect(abs(tally.microseconds(atPercentile: 99) - 990) <= 1)
        #expect(abs(tally.maxMicroseconds - 1000) <= 1)
        #expect(abs(tally.meanMicroseconds - 500.5) <= 1)
    }

    @Test func theJSONReportCarriesThroughputPercentilesAndStatuses() throws {
        let plan = LoadPlan(shape: .closedLoop(concurrency: 64), warmup: .seconds(2), duration: .seconds(10))
        let outcome = LoadOutcome(tally: Self.tally(Array(repeating: 1_000_000, count: 200), failing: 2), seconds: 2)
        let report = BenchReport(model: "iris", version: "", rowsPerCall: 4, connections: 2, plan: plan, outcome: outcome)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        #expect(object["calls"] as? Int == 200)
        #expect(object["calls_per_second"] as? Double == 100)
        #expect(object["rows_per_second"] as? Double == 400)
        #expect(object["errors"] as? Int == 2)
        #expect(object["error_rate"] as? Double == 0.01)
        #expect(object["status_counts"] as? [String: Int] == ["OK": 198, "DEADLINE_EXCEEDED": 2])
        let latency = try #require(object["latency_us"] as? [String: Double])
        #expect(Set(latency.keys) == ["p50", "p90", "p99", "p99_9", "max", "mean"])
        #expect(abs(latency["p99"]! - 1000) <= 1)
        let load = try #require(object["load"] as? [String: Any])
        #expect(load["mode"] as? String == "closed")
        #expect(load["concurrency"] as? Int == 64)
        #expect(report.text().contains("DEADLINE_EXCEEDED 2"))
        #expect(report.text().contains("100 calls/s, 400 rows/s"))
    }

    @Test func numbersAreFormattedForPeople() {
        #expect(Format.count(45_230.4) == "45,230")
        #expect(Format.count(999) == "999")
        #expect(Format.latency(850) == "850 µs")
        #expect(Format.latency(1_270) == "1.27 ms")
        #expect(Format.latency(2_400_000) == "2.40 s")
    }
}
