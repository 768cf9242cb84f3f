import PredictRuntime

/// A model version the service resolved for a call, valid inside
/// `InferenceService.withVersion`: its signature, and the way to queue a request on it.
public struct ServingVersion: Sendable {
    let scheduler: VersionScheduler
    /// The shadow version this call is copied to, when the model shadows and the call was routed.
    var shadow: VersionScheduler? = nil
    var ledger: ShadowLedger? = nil

    public var model: String { scheduler.name }
    public var number: Int { scheduler.version }
    public var inputs: [TensorInfo] { scheduler.model.inputs }
    public var outputs: [TensorInfo] { scheduler.model.outputs }
    /// Unique per loaded instance: a version reloaded from a changed file gets a new id.
    public var id: UInt64 { scheduler.id }

    /// Copies the request to the model's shadow version, if this call is to be shadowed; give
    /// the caller's outcome to the ticket's `primaryFinished` when it arrives. The copy never
    /// delays or fails the call: a full shadow queue sheds it, and it is counted.
    public func startShadow(inputs: [String: Tensor], deadline: Deadline?) -> ShadowTicket? {
        guard let shadow, let ledger else { return nil }
        let ticket = ShadowTicket(ledger: ledger, pair: .init(model: scheduler.name, primary: scheduler.version, shadow: shadow.version))
        _ = shadow.submit(inputs, deadline: deadline, completion: .closure { ticket.shadowFinished($0) })
        return ticket
    }

    /// Queues a request; the outcome goes to `sink` with `tag`, exactly once.
    public func submit(inputs: [String: Tensor], deadline: Deadline?, sink: any OutcomeSink, tag: UInt64) -> Submission {
        scheduler.submit(inputs, deadline: deadline, completion: .sink(sink, tag: tag))
    }
}
