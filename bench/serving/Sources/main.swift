// predict-serving-bench: the serving core in-process (no network). For each model, rows/s
// with 256 closed-loop submitters (each resubmits as soon as its request is answered), batching
// off vs on, 1 vs 2 workers; and the scheduler's own overhead: submit-to-result latency around
// a model that does nothing, one request in flight, p50/p99.
//
// Usage: predict-serving-bench --model NAME=PATH [--model ...] [--seconds S] [--submitters N]
//        [--workers 1,2] [--batching off,on] [--no-overhead]
import Foundation
import PredictRuntime
import PredictServing
import Synchronization

struct Options {
    var models: [(name: String, path: String)] = []
    var seconds = 3.0
    var submitters = 256
    var workers = [1, 2]
    var batching = [false, true]
    var overhead = true

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
            case "--workers": workers = (args.next() ?? "").split(separator: ",").compactMap { Int($0) }
            case "--batching": batching = (args.next() ?? "").split(separator: ",").map { $0 == "on" }
            case "--no-overhead": overhead = false
            default: fatalError("unknown argument \(a)")
            }
        }
    }
}

func emit(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

/// A thread with a mailbox, standing in for a server's event loop, and the outcome sink of
/// its clients: a batch's outcomes for this loop arrive in one hand-off (as the server will
/// do with one `eventLoop.execute` per batch), and the loop resubmits each client's next
/// request, so pinned workers only compute.
final class SubmitterLoop: OutcomeSink, @unchecked Sendable {
    private let condition = NSCondition()
    private var mailbox: [@Sendable () -> Void] = []
    private var stopped = false

    /// Set before the first request; called on this loop's thread for each answered client.
    nonisolated(unsafe) var onAnswer: (UInt64, InferenceOutcome) -> Void = { _, _ in }

    init() {
        let thread = Thread { [self] in run() }
        thread.start()
    }

    func deliver(_ outcomes: [(tag: UInt64, outcome: InferenceOutcome)]) {
        execute { [self] in for (tag, outcome) in outcomes { onAnswer(tag, outcome) } }
    }

    func execute(_ work: @escaping @Sendable () -> Void) {
        condition.lock()
        mailbox.append(work)
        if mailbox.count == 1 { condition.signal() }  // otherwise the loop is awake already
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        var work: [@Sendable () -> Void] = []
        while true {
            condition.lock()
            while mailbox.isEmpty && !stopped { condition.wait() }
            if stopped && mailbox.isEmpty {
                condition.unlock()
                return
            }
            swap(&work, &mailbox)
            condition.unlock()
            for item in work { item() }
            work.removeAll(keepingCapacity: true)
        }
    }
}

/// Rows per second served with `submitters` closed-loop clients sending one-row requests, the
/// clients spread over two submitter loops.
func throughput(_ model: InferenceModel, rows: [[String: Tensor]], config: ModelConfiguration, submitters: Int, seconds: Double) throws -> (rowsPerSecond: Double, batches: Int) {
    let service = try InferenceService([ServedModelVersion(name: "m", version: 1, model: model, configuration: config)], options: ServingOptions(allowCPUSharing: true))
    defer { service.shutdown() }
    let loops = [SubmitterLoop(), SubmitterLoop()]
    defer { loops.forEach { $0.stop() } }
    let stopAt = MonotonicClock.nanoseconds() + UInt64(seconds * 1e9)
    let completed = Atomic<Int>(0)
    let running = Atomic<Int>(submitters)
    let done = DispatchSemaphore(value: 0)
    var sent = [Int](repeating: 0, count: submitters)  // per client; each touched by one loop only
    let sentCounts = UnsafeMutableBufferPointer<Int>.allocate(capacity: submitters)
    sentCounts.initialize(repeating: 0)
    defer { sentCounts.deallocate() }
    nonisolated(unsafe) let counts = sentCounts
    @Sendable func send(_ client: Int) {
        let loop = loops[client % loops.count]
        service.submit(model: "m", inputs: rows[(client * 7919 + counts[client]) % rows.count], sink: loop, tag: UInt64(client))
        counts[client] += 1
    }
    for loop in loops {
        loop.onAnswer = { tag, outcome in
            if case .failure(let e) = outcome { fatalError("request failed: \(e)") }
            completed.add(1, ordering: .relaxed)
            if MonotonicClock.nanoseconds() < stopAt {
                send(Int(tag))
            } else if running.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                done.signal()
            }
        }
    }
    sent.removeAll()
    let start = MonotonicClock.nanoseconds()
    for c in 0..<submitters { loops[c % loops.count].execute { send(c) } }
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
    // The submitter polls for its answer, so the figure is the scheduler's hop to the worker
    // and back, not the benchmark thread's own wake-up.
    let answered = Atomic<Int>(0)
    var latencies: [Double] = []
    let stopAt = MonotonicClock.nanoseconds() + UInt64(seconds * 1e9)
    var i = 0
    while MonotonicClock.nanoseconds() < stopAt {
        let start = MonotonicClock.nanoseconds()
        service.submit(model: "noop", inputs: input) { _ in answered.add(1, ordering: .releasing) }
        while answered.load(ordering: .acquiring) == i {}
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
    for workers in options.workers {
        for batching in options.batching {
            var config = ModelConfiguration()
            config.instances = workers
            config.maxBatchSize = batching ? 64 : 0
            let r = try throughput(model, rows: rows, config: config, submitters: options.submitters, seconds: options.seconds)
            emit(#"{"model":"\#(name)","workers":\#(workers),"batching":\#(batching),"rows_per_second":\#(Int(r.rowsPerSecond)),"batches":\#(r.batches)}"#)
        }
    }
}
guard options.overhead else { exit(0) }
let latencies = try overhead(seconds: options.seconds)
func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
emit(#"{"overhead_us_p50":\#(String(format: "%.2f", percentile(0.5))),"overhead_us_p99":\#(String(format: "%.2f", percentile(0.99))),"samples":\#(latencies.count)}"#)
