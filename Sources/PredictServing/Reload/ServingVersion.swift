import PredictRuntime

/// A model version the service resolved for a call, valid inside
/// `InferenceService.withVersion`: its signature, and the way to queue a request on it.
public struct ServingVersion: Sendable {
    let scheduler: VersionScheduler

    public var model: String { scheduler.name }
    public var number: Int { scheduler.version }
    public var inputs: [TensorInfo] { scheduler.model.inputs }
    public var outputs: [TensorInfo] { scheduler.model.outputs }
    /// Unique per loaded instance: a version reloaded from a changed file gets a new id.
    public var id: UInt64 { scheduler.id }

    /// Queues a request; the outcome goes to `sink` with `tag`, exactly once.
    public func submit(inputs: [String: Tensor], deadline: Deadline?, sink: any OutcomeSink, tag: UInt64) -> Submission {
        scheduler.submit(inputs, deadline: deadline, completion: .sink(sink, tag: tag))
    }
}
