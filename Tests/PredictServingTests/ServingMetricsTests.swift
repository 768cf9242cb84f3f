import Foundation
import MetricsTestKit
import PredictRuntime
import Testing
@testable import PredictServing

/// The serving metrics the issue names reach the metrics backend with model and version labels.
@Suite struct ServingMetricsTests {
    @Test func outcomesBatchesQueueWaitAndBusyTimeAreRecorded() throws {
        let metrics = TestMetrics()
        let model = ProbeModel()
        let service = try InferenceService(
            [ServedModelVersion(name: "probe", version: 3, model: model, configuration: configuration(maxQueue: 1))],
            options: ServingOptions(allowCPUSharing: true, metricsFactory: metrics))
        defer { service.shutdown() }
        let outcomes = Outcomes()
        model.gate.close()
        service.submit(model: "probe", inputs: column([1]), completion: outcomes.record(0))
        Thread.sleep(forTimeInterval: 0.05)
        service.submit(model: "probe", inputs: column([2]), completion: outcomes.record(1))
        service.submit(model: "probe", inputs: column([3]), completion: outcomes.record(2))  // queue full
        model.gate.open()
        _ = outcomes.wait(for: 3)
        let labels = [("model", "probe"), ("version", "3")]
        #expect(try metrics.expectCounter("predict_requests_total", labels + [("status", "OK")]).totalValue == 2)
        #expect(try metrics.expectCounter("predict_requests_total", labels + [("status", "RESOURCE_EXHAUSTED")]).totalValue == 1)
        #expect(try metrics.expectRecorder("predict_batch_rows", labels).values.reduce(0, +) == 2)
        #expect(try metrics.expectTimer("predict_queue_wait_seconds", labels).values.count == 2)
        #expect(try metrics.expectTimer("predict_compute_seconds", labels).values.count == 2)
        #expect(try metrics.expectCounter("predict_worker_busy_nanoseconds_total", labels + [("worker", "0")]).totalValue > 0)
        #expect(try metrics.expectGauge("predict_queue_depth", labels).lastValue != nil)
    }
}
