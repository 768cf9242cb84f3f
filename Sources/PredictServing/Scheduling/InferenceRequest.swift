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

/// Receives outcomes in groups: everything one batch produced for this sink arrives in one
/// `deliver` call on the worker thread. A server makes each connection or event loop a sink,
/// so a batch of 64 requests costs one hand-off to the event loop, not 64.
public protocol OutcomeSink: AnyObject, Sendable {
    func deliver(_ outcomes: [(tag: UInt64, outcome: InferenceOutcome)])
}

/// Where a request's outcome goes: its own closure, or a sink shared with other requests.
enum Completion: Sendable {
    case closure(@Sendable (InferenceOutcome) -> Void)
    case sink(any OutcomeSink, tag: UInt64)
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
    let completion: Completion
    /// Guarded by the owning queue's lock.
    var state = State.queued

    init(inputs: [Tensor], rows: Int, deadline: Deadline?, completion: Completion) {
        self.inputs = inputs
        self.rows = rows
        self.deadline = deadline
        self.enqueuedAt = MonotonicClock.nanoseconds()
        self.completion = completion
    }

    /// Delivers the outcome on its own. Callers have moved `state` to `.finished` under the
    /// lock first, so this runs once; it is called outside the lock.
    func complete(_ outcome: InferenceOutcome) { completion.deliver(outcome) }

    /// Whether the trailing (non-batch) dimensions of every input equal `other`'s, so the
    /// two can be stacked into one batch.
    func stacks(with other: InferenceRequest) -> Bool {
        for (a, b) in zip(inputs, other.inputs) {
            guard a.shape.count == b.shape.count else { return false }
            for axis in 1..<max(a.shape.count, 1) where a.shape[axis] != b.shape[axis] { return false }
        }
        return true
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

extension Completion {
    func deliver(_ outcome: InferenceOutcome) {
        switch self {
        case .closure(let body): body(outcome)
        case .sink(let sink, let tag): sink.deliver([(tag, outcome)])
        }
    }

    /// Delivers the outcomes of one batch: closures one by one, sinks once each with all of
    /// theirs, in request order.
    static func deliver(_ requests: [InferenceRequest], _ outcomes: [InferenceOutcome]) {
        var groups: [ObjectIdentifier: (sink: any OutcomeSink, items: [(tag: UInt64, outcome: InferenceOutcome)])] = [:]
        var order: [ObjectIdentifier] = []
        for (request, outcome) in zip(requests, outcomes) {
            switch request.completion {
            case .closure(let body):
                body(outcome)
            case .sink(let sink, let tag):
                let id = ObjectIdentifier(sink)
                if groups[id] == nil {
                    groups[id] = (sink, [])
                    order.append(id)
                }
                groups[id]!.items.append((tag, outcome))
            }
        }
        for id in order { groups[id]!.sink.deliver(groups[id]!.items) }
    }
}
