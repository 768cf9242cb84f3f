import NIOCore
import PredictServing

/// Brings the outcomes of inference calls from the workers to their connection: everything one
/// batch produced for the connection crosses to its event loop in one hop, where the handler
/// writes the Results and flushes once.
final class ConnectionOutcomeSink: OutcomeSink {
    private let handler: NIOLoopBoundBox<ConnectionHandler?>

    /// Call on the handler's event loop.
    init(handler: ConnectionHandler, eventLoop: any EventLoop) {
        self.handler = NIOLoopBoundBox(handler, eventLoop: eventLoop)
    }

    func deliver(_ outcomes: [(tag: UInt64, outcome: InferenceOutcome)]) {
        let handler = self.handler
        handler.eventLoop.execute {
            handler.value?.inferencesFinished(outcomes)
        }
    }

    /// Drops outcomes that arrive after the connection is gone. Call on the event loop.
    func detach() {
        handler.value = nil
    }
}
