import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PredictProtocol

/// One connection of the pool, callable from any task: it connects in the background and runs
/// each call to a ``CallOutcome``.
///
/// Callers' requests are gathered under a lock and handed to the event loop in batches: the
/// first request of a batch schedules one hop, later ones ride along, and the handler flushes
/// once per batch. So concurrent calls cost one loop hop and one write syscall per burst, not
/// per call.
final class ClientConnection: Sendable {
    let eventLoop: any EventLoop
    let address: String
    private let shared: NIOLockedValueBox<Shared>
    /// The channel's handler once connected; touched on the event loop only.
    private let link: NIOLoopBoundBox<Link?>
    private let closedPromise: EventLoopPromise<Void>

    /// State callers and the loop share, under the lock.
    private struct Shared {
        var submissions: [Submission] = []
        /// A drain is scheduled on the loop (or the connection is still connecting, and its
        /// completion drains): no need to schedule another.
        var drainScheduled = false
        var takesCalls = true
        var nextLocalID: UInt64 = 1
    }

    private enum Submission: Sendable {
        case start(LocalCallID, SerializedCall, token: String?, deadline: NIODeadline?, timeout: Duration?, EventLoopPromise<CallOutcome>)
        case cancel(LocalCallID)
        case closeGracefully
    }

    private enum Link {
        case connected(ClientConnectionHandler)
        case failed(PredictClientError)
        case closed
    }

    private init(eventLoop: any EventLoop, address: String) {
        self.eventLoop = eventLoop
        self.address = address
        self.shared = NIOLockedValueBox(Shared(drainScheduled: true))
        self.link = NIOLoopBoundBox.makeEmptyBox(valueType: Link.self, eventLoop: eventLoop)
        self.closedPromise = eventLoop.makePromise(of: Void.self)
    }

    /// Starts connecting to the server; calls made meanwhile wait for the connection. The first
    /// Hello carries `token` (or the token of the newest call made before it is sent).
    static func open(settings: ConnectionSettings, token: String?, on eventLoop: any EventLoop) -> ClientConnection {
        let connection = ClientConnection(eventLoop: eventLoop, address: settings.address)
        connection.connect(settings: settings, token: token)
        return connection
    }

    /// Whether the pool may give this connection new calls: not closed, no GoAway, not closing.
    var takesCalls: Bool {
        shared.withLockedValue { $0.takesCalls }
    }

    /// Completes when the connection is closed, or failed to connect.
    var closed: EventLoopFuture<Void> {
        closedPromise.futureResult
    }

    /// Runs one call. Task cancellation sends Cancel and ends the call as CANCELLED at once;
    /// `deadline` does the same with DEADLINE_EXCEEDED (`timeout` is what it is reported as).
    func call(_ call: SerializedCall, token: String?, deadline: NIODeadline?, timeout: Duration?) async -> CallOutcome {
        // Started before the cancellation handler is installed, so a cancel always follows
        // its start in the submission order.
        let (id, outcome) = begin(call, token: token, deadline: deadline, timeout: timeout)
        return await withTaskCancellationHandler {
            do {
                return try await outcome.get()
            } catch {
                return .failed(PredictClientError(.internalError, "call ended without an outcome: \(error)"))
            }
        } onCancel: {
            submit(.cancel(id))
        }
    }

    /// Starts one call without a task: its outcome completes the future on this connection's
    /// event loop. `deadline` ends it as ``call(_:token:deadline:timeout:)`` does.
    func start(_ call: SerializedCall, token: String?, deadline: NIODeadline?, timeout: Duration?) -> EventLoopFuture<CallOutcome> {
        begin(call, token: token, deadline: deadline, timeout: timeout).outcome
    }

    private func begin(_ call: SerializedCall, token: String?, deadline: NIODeadline?, timeout: Duration?) -> (LocalCallID, outcome: EventLoopFuture<CallOutcome>) {
        let id = shared.withLockedValue { shared in
            defer { shared.nextLocalID += 1 }
            return LocalCallID(value: shared.nextLocalID)
        }
        let promise = eventLoop.makePromise(of: CallOutcome.self)
        submit(.start(id, call, token: token, deadline: deadline, timeout: timeout, promise))
        return (id, promise.futureResult)
    }

    /// Takes no new calls, lets submitted ones finish, then closes. Completes when closed.
    func closeGracefully() -> EventLoopFuture<Void> {
        stopTakingCalls()
        submit(.closeGracefully)
        return closed
    }

    // MARK: - Internals

    private func connect(settings: ConnectionSettings, token: String?) {
        // Each channel's handler, kept from its initializer: a server that closes at once tears
        // the pipeline down before `connected` runs, and the handler still knows why.
        let handlers = NIOLoopBoundBox.makeEmptyBox(valueType: [ObjectIdentifier: ClientConnectionHandler].self, eventLoop: eventLoop)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(settings.connectTimeout))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let sslContext = settings.sslContext {
                        try pipeline.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: settings.sniHostname))
                    }
                    try pipeline.addHandler(ByteToMessageHandler(FrameDecoder(maxFrameBytes: settings.maxInboundFrameBytes)))
                    let handler = ClientConnectionHandler(settings: settings, token: token)
                    try pipeline.addHandler(handler)
                    handlers.value = (handlers.value ?? [:]).merging([ObjectIdentifier(channel): handler]) { $1 }
                }
            }
        bootstrap.connect(host: settings.host, port: settings.port).whenComplete { result in
            switch result {
            case .success(let channel):
                self.connected(channel, handler: handlers.value?[ObjectIdentifier(channel)])
                handlers.value = nil
            case .failure(let error):
                self.link.value = .failed(PredictClientError(
                    .unavailable,
                    "cannot connect to \(settings.address): \(ConnectionFailure.describe(error, serverHostname: settings.verifiedHostname))"))
                self.stopTakingCalls()
                self.closedPromise.succeed()
            }
            self.drain()
        }
    }

    /// On the loop, with the channel that won the connect race.
    private func connected(_ channel: any Channel, handler: ClientConnectionHandler?) {
        guard let handler else {
            link.value = .failed(PredictClientError(.internalError, "connection to \(address) has no protocol handler"))
            stopTakingCalls()
            closedPromise.succeed()
            channel.close(promise: nil)
            return
        }
        handler.onStopTakingCalls = { [self] in stopTakingCalls() }
        link.value = .connected(handler)
        channel.closeFuture.whenComplete { _ in
            // Drops the handler (and its reference to this connection).
            self.link.value = .closed
            self.stopTakingCalls()
            self.closedPromise.succeed()
        }
    }

    private func stopTakingCalls() {
        shared.withLockedValue { $0.takesCalls = false }
    }

    private func submit(_ submission: Submission) {
        let scheduleDrain = shared.withLockedValue { shared in
            shared.submissions.append(submission)
            if shared.drainScheduled { return false }
            shared.drainScheduled = true
            return true
        }
        if scheduleDrain {
            eventLoop.execute { self.drain() }
        }
    }

    /// Hands the gathered submissions to the handler, on the loop.
    private func drain() {
        guard let link = link.value else {
            // Still connecting; `connect` drains when it finishes.
            return
        }
        let batch = shared.withLockedValue { shared in
            shared.drainScheduled = false
            defer { shared.submissions.removeAll(keepingCapacity: true) }
            return shared.submissions
        }
        switch link {
        case .connected(let handler):
            for submission in batch {
                switch submission {
                case .start(let id, let call, let token, let deadline, let timeout, let promise):
                    handler.start(id, call, token: token, deadline: deadline, timeout: timeout, promise: promise)
                case .cancel(let id):
                    handler.cancel(id)
                case .closeGracefully:
                    handler.closeGracefully()
                }
            }
            handler.flushIfNeeded()
        case .failed(let error):
            for case .start(_, _, _, _, _, let promise) in batch {
                promise.succeed(.failed(error))
            }
        case .closed:
            for case .start(_, _, _, _, _, let promise) in batch {
                promise.succeed(.retry)
            }
        }
    }
}
