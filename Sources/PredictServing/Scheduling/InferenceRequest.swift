import PredictRuntime

/// The outcome of a request: the outputs of the version that answered, or a status.
public typealias InferenceOutcome = Result<InferenceResponse, ServingError>

/// What a successful request returns.
public struct InferenceResponse: Sendable {
    public let model: String
    /// The version that computed the outputs.
    public let version: Int
    /// Outputs in the model's order, each with the request's rows only.
    public let outputs: [(name: String, tensor: Tensor)]

    public subscript(name: String) -> Tensor? { outputs.first { $0.name == name }?.tensor }
}

/// One submitted request inside a version's queue. Its state changes only under the queue's
/// lock, which is what makes "exactly one outcome" hold between a worker finishing it, a
/// cancellation and a deadline.
final class InferenceRequest: @unchecked Sendable {
    enum State { case queued, running, finished }

    /// Inputs in the model's input order, already validated against it.
    let inputs: [Tensor]
    let rows: Int
    let deadline: Deadline?
    let enqueuedAt: UInt64
    private let completion: @Sendable (InferenceOutcome) -> Void
    /// Guarded by the owning queue's lock.
    var state = State.queued

    init(inputs: [Tensor], rows: Int, deadline: Deadline?, completion: @escaping @Sendable (InferenceOutcome) -> Void) {
        self.inputs = inputs
        self.rows = rows
        self.deadline = deadline
        self.enqueuedAt = MonotonicClock.nanoseconds()
        self.completion = completion
    }

    /// Delivers the outcome. Callers have moved `state` to `.finished` under the lock first,
    /// so this runs once; it is called outside the lock.
    func complete(_ outcome: InferenceOutcome) { completion(outcome) }

    /// Whether the trailing (non-batch) dimensions of every input equal `other`'s, so the
    /// two can be stacked into one batch.
    func stacks(with other: InferenceRequest) -> Bool {
        zip(inputs, other.inputs).allSatisfy { $0.shape.dropFirst() == $1.shape.dropFirst() }
    }
}

/// A handle to a submitted request, to cancel it while it is still queued.
public struct Submission: Sendable {
    let request: InferenceRequest?
    let queue: RequestQueue?

    /// Removes the request from its queue and answers it CANCELLED. No effect once a worker
    /// has taken it (its result is delivered) or after it finished.
    public func cancel() {
        guard let request, let queue else { return }
        queue.cancel(request)
    }
}
