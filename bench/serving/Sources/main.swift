// predict-serving-bench: the serving core in-process (no network). For each model, rows/s
// with 256 closed-loop submitters (each resubmits as soon as its request is answered), batching
// off vs on, 1 vs 2 workers; and the scheduler's own overhead: submit-to-result latency around
// a model that does nothing, one request in flight, p50/p99.
//
// Usage: predict-serving-bench --model NAME=PATH [--model ...] [--seconds S] [--submitters N]
import Foundation
import PredictRuntime
import PredictServing
import Synchronization

struct Options {
    var models: [(name: String, path: String)] = []
    var seconds = 3.0
    var submitters = 256

    init(_ arguments: [String]) {
        var args = arguments.dropFirst().makeIterator()
        while let a = args.next() {
            switch a {
            case "--model":
                let spec = args.next() ?? ""
                let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 { models.append((parts[0], parts[1])) }
            case "--seconds": seconds = Double(args.next() ?? "") ?? seconds
            case "--submitters": submitters = Int(args.next() ?? "") ?? submitters
            default: fatalError("unknown argument \(a)")
            }
        }
    }
}

func emit(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

/// Rows per second served with `submitters` closed-loop clients sending one-row requests.
func throughput(_ model: InferenceModel, rows: [[String: Tensor]], config: ModelConfiguration, submitters: Int, seconds: Double) throws -> (rowsPerSecond: Double, batches: Int) {
    let service = try InferenceService([ServedModelVersion(name: "m", version: 1, model: model, configuration: config)], options: ServingOptions(allowCPUSharing: true))
    defer { service.shutdown() }
    let stopAt = MonotonicClock.nanoseconds() + UInt64(seconds * 1e9)
    let completed = Atomic<Int>(0)
    let running = Atomic<Int>(submitters)
    let done = DispatchSemaphore(value: 0)
    @Sendable func loop(_ client: Int, _ i: Int) {
        service.submit(model: "m", inputs: rows[(client * 7919 + i) % rows.count]) { outcome in
            if case .failure(let e) = outcome { fatalError("request failed: \(e)") }
            completed.add(1, ordering: .relaxed)
            if MonotonicClock.nanoseconds() < stopAt {
                loop(client, i + 1)
            } else if running.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                done.signal()
            }
        }
    }
    let start = MonotonicClock.nanoseconds()
    for c in 0..<submitters { loop(c, 0) }
    done.wait()
    let elapsed = Double(MonotonicClock.nanoseconds() - start) / 1e9
    return (Double(completed.load(ordering: .relaxed)) / elapsed, service.statistics(model: "m", version: 1)?.batches ?? 0)
}

/// A model that returns its input: what is left is the scheduler.
struct NoOpModel: ServableModel {
    let inputs = [TensorInfo(name: "x", elementType: .float32, shape: [.dynamic(name: nil), .fixed(1)])]
    let outputs = [TensorInfo(name: "x", elementType: .float32, shape: [.dynamic(name: nil), .fixed(1)])]
    func orderedInputs(_ named: [String: Tensor]) throws -> [Tensor] { [named["x"]!] }
    func run(_ inputs: [Tensor]) throws -> [Tensor] { inputs }
}

/// Submit-to-result latency in microseconds, one request in flight at a time.
func overhead(seconds: Double) throws -> [Double] {
    var config = ModelConfiguration()
    config.maxBatchSize = 0
    let service = try InferenceService([ServedModelVersion(name: "noop", version: 1, model: NoOpModel(), configuration: config)], options: ServingOptions(allowCPUSharing: true))
    defer { service.shutdown() }
    let input = ["x": Tensor(shape: [1, 1], floats: [1])]
    let answered = DispatchSemaphore(value: 0)
    var latencies: [Double] = []
    let stopAt = MonotonicClock.nanoseconds() + UInt64(seconds * 1e9)
    var i = 0
    while MonotonicClock.nanoseconds() < stopAt {
        let start = MonotonicClock.nanoseconds()
        service.submit(model: "noop", inputs: input) { _ in answered.signal() }
        answered.wait()
        if i >= 1000 { latencies.append(Double(MonotonicClock.nanoseconds() - start) / 1000) }  // after warm-up
        i += 1
    }
    return latencies.sorted()
}

let options = Options(CommandLine.arguments)
for (name, path) in options.models {
    let model = try InferenceModel(contentsOf: URL(fileURLWithPath: path))
    guard case .fixed(let features)? = model.inputs[0].shape?.last else { fatalError("\(name): no fixed feature count") }
    var generator = SystemRandomNumberGenerator()
    let rows = (0..<1024).map { _ in [model.inputs[0].name: Tensor(shape: [1, features], floats: (0..<features).map { _ in Float.random(in: -3...3, using: &generator) })] }
    for workers in [1, 2] {
        for batching in [false, true] {
            var config = ModelConfiguration()
            config.instances = workers
            config.maxBatchSize = batching ? 64 : 0
            let r = try throughput(model, rows: rows, config: config, submitters: options.submitters, seconds: options.seconds)
            emit(#"{"model":"\#(name)","workers":\#(workers),"batching":\#(batching),"rows_per_second":\#(Int(r.rowsPerSecond)),"batches":\#(r.batches)}"#)
        }
    }
}
let latencies = try overhead(seconds: options.seconds)
func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
emit(#"{"overhead_us_p50":\#(String(format: "%.2f", percentile(0.5))),"overhead_us_p99":\#(String(format: "%.2f", percentile(0.99))),"samples":\#(latencies.count)}"#)
