import Metrics
import PredictRuntime

/// Runs one batch on a worker thread: stacks the requests' rows, runs the model (split across
/// the worker's CPUs when it has several), and answers every request exactly once.
struct BatchExecutor: Sendable {
    let model: any ServableModel
    let modelName: String
    let version: Int
    /// Splits large batches across the worker's CPUs (cpus_per_instance > 1), else nil.
    let chunks: ChunkRunner?
    /// This worker's busy time (predict_worker_busy_nanoseconds_total{worker}).
    let busy: Counter
    /// The model's output names, read once: going through the existential per request would
    /// copy every output's `TensorInfo`.
    private let outputNames: [String]

    init(model: any ServableModel, modelName: String, version: Int, chunks: ChunkRunner?, busy: Counter) {
        self.model = model
        self.modelName = modelName
        self.version = version
        self.chunks = chunks
        self.busy = busy
        self.outputNames = model.outputs.map(\.name)
    }
    /// Below this many rows per CPU a batch is not split: the hand-off would cost more.
    static let minimumRowsPerChunk = 16

    /// Answers every request of `batch`.
    func execute(_ batch: [InferenceRequest], metrics: VersionMetrics) {
        let started = MonotonicClock.nanoseconds()
        for request in batch { metrics.queueWait(nanoseconds: started &- request.enqueuedAt) }
        let outcomes: [InferenceOutcome]
        if batch.count == 1 {
            outcomes = [run(batch[0].inputs)]
        } else {
            outcomes = runStacked(batch)
        }
        let finished = MonotonicClock.nanoseconds()
        metrics.batch(rows: batch.reduce(0) { $0 + $1.rows }, computeNanoseconds: finished &- started)
        busy.increment(by: Int64(clamping: finished &- started))
        for outcome in outcomes { metrics.outcome(outcome) }
        Completion.deliver(batch, outcomes)
    }

    /// Runs the stacked rows of several requests. If the batch fails, or its outputs cannot be
    /// split by rows, each request runs alone, so one bad request fails only itself.
    private func runStacked(_ batch: [InferenceRequest]) -> [InferenceOutcome] {
        let inputs = batch[0].inputs.indices.map { i in RowStacking.stack(batch.map { $0.inputs[i] }) }
        let rows = batch.map(\.rows)
        if case .success(let whole) = compute(inputs) {
            let pieces = whole.map { RowStacking.split($0, rows: rows) }
            if pieces.allSatisfy({ $0 != nil }) {
                return batch.indices.map { r in .success(response(pieces.map { $0![r] })) }
            }
        }
        return batch.map { run($0.inputs) }
    }

    private func run(_ inputs: [Tensor]) -> InferenceOutcome {
        compute(inputs).map(response)
    }

    private func response(_ tensors: [Tensor]) -> InferenceResponse {
        InferenceResponse(model: modelName, version: version, outputs: zip(outputNames, tensors).map { ($0, $1) })
    }

    /// The model's outputs for `inputs`, split across the worker's CPUs when it has several
    /// and the batch is large enough.
    private func compute(_ inputs: [Tensor]) -> Result<[Tensor], ServingError> {
        let rows = inputs.first?.shape.first ?? 0
        if let chunks, chunks.parallelism > 1, rows >= chunks.parallelism * Self.minimumRowsPerChunk {
            return computeInChunks(inputs, rows: rows, chunks: chunks)
        }
        do {
            return .success(try model.run(inputs))
        } catch {
            return .failure(ServingError.fromBatchFailure(error))
        }
    }

    private func computeInChunks(_ inputs: [Tensor], rows: Int, chunks: ChunkRunner) -> Result<[Tensor], ServingError> {
        let parts = chunks.parallelism
        let sizes = (0..<parts).map { rows / parts + ($0 < rows % parts ? 1 : 0) }
        let slices = inputs.map { RowStacking.split($0, rows: sizes)! }
        let results = ChunkResults(count: parts)
        let model = self.model
        chunks.run { part in
            let result: Result<[Tensor], ServingError>
            do {
                result = .success(try model.run(slices.map { $0[part] }))
            } catch {
                result = .failure(ServingError.fromBatchFailure(error))
            }
            results.store(result, at: part)
        }
        var outputs: [[Tensor]] = []
        for part in 0..<parts {
            switch results.take(part) {
            case .success(let tensors): outputs.append(tensors)
            case .failure(let error): return .failure(error)
            }
        }
        return .success(outputs[0].indices.map { o in RowStacking.stack(outputs.map { $0[o] }) })
    }
}

/// One slot per chunk, each written by exactly one thread before `ChunkRunner.run` returns
/// (which orders the writes before the reads). Raw storage, so the concurrent writes to
/// different slots are not one exclusive access to an array.
private final class ChunkResults: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Result<[Tensor], ServingError>?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func store(_ result: Result<[Tensor], ServingError>, at index: Int) { slots[index] = result }

    func take(_ index: Int) -> Result<[Tensor], ServingError> {
        slots[index] ?? .failure(ServingError(.internalError, "a chunk produced no result"))
    }
}
