import NIOCore
import NIOSSL
import NIOTLS
import PredictProtocol

/// The channel handler of one client connection: feeds frames, caller requests and timers to a
/// ``ClientConnectionStateMachine`` and performs its actions. Lives on the channel's event loop.
///
/// Writes are never flushed one by one: every entry point (a batch of submissions, a read burst,
/// a timer) flushes once at its end, so a thousand calls started together leave in a few
/// syscalls.
final class ClientConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = Predict_V1_Frame
    typealias OutboundOut = ByteBuffer

    /// A call this connection holds until it finishes.
    private struct HeldCall {
        var call: ByteBuffer
        var promise: EventLoopPromise<CallOutcome>
        var timeout: Duration?
        var deadlineTimer: Scheduled<Void>?
    }

    private let settings: ConnectionSettings
    private var machine: ClientConnectionStateMachine
    private var calls: [LocalCallID: HeldCall] = [:]
    private var context: ChannelHandlerContext?
    /// Why the channel is closing, from the first error seen; shown to callers.
    private var closeCause: String?
    /// Frames written since the last flush.
    private var outbound: ByteBuffer?
    /// Told when the pool must stop using this connection; set once the connection won its
    /// connect race (happy eyeballs may build channels that lose).
    var onStopTakingCalls: (() -> Void)?

    init(settings: ConnectionSettings, token: String?) {
        self.settings = settings
        self.machine = ClientConnectionStateMachine(address: settings.address, token: token)
    }

    // MARK: - Requests from callers (on the event loop)

    /// Starts a call. `deadline` (with the `timeout` it came from, for the message) is when
    /// to give up.
    func start(_ id: LocalCallID, _ call: SerializedCall, token: String?, deadline: NIODeadline?, timeout: Duration?, promise: EventLoopPromise<CallOutcome>) {
        var held = HeldCall(call: call.bytes, promise: promise, timeout: timeout)
        if let deadline, let context {
            held.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
                perform(machine.abandonCall(id, .deadlineExceeded(timeout)))
                flushIfNeeded()
            }
        }
        calls[id] = held
        perform(machine.submitCall(id, token: token, callBytes: call.bytes.readableBytes))
    }

    /// The caller's task was cancelled.
    func cancel(_ id: LocalCallID) {
        perform(machine.abandonCall(id, .cancelled()))
    }

    func closeGracefully() {
        perform(machine.closeGracefully())
    }

    /// Sends what the last requests wrote.
    func flushIfNeeded() {
        guard let buffer = outbound, let context else { return }
        outbound = nil
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { channelBecameActive(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        channelBecameActive(context: context)
        context.fireChannelActive()
    }

    private func channelBecameActive(context: ChannelHandlerContext) {
        // With TLS, Hello (which may carry a token) waits for a verified handshake and ALPN.
        guard !settings.usesTLS else { return }
        perform(machine.transportReady())
        flushIfNeeded()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted(let negotiated) = event {
            if negotiated == WireProtocol.alpnProtocol {
                perform(machine.transportReady())
                flushIfNeeded()
            } else {
                fail(context: context, cause: "the server did not agree to ALPN protocol \(WireProtocol.alpnProtocol)"
                    + (negotiated.map { " (it chose '\($0)')" } ?? ""))
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.kind {
        case .welcome(let welcome):
            perform(machine.receivedWelcome(maxFrameBytes: welcome.maxFrameBytes, maxConcurrentCalls: welcome.maxConcurrentCalls))
        case .result(let result):
            perform(machine.receivedResult(callID: frame.callID, result))
        case .goAway(let goAway):
            perform(machine.receivedGoAway(lastCallID: goAway.lastCallID, status: goAway.status))
        case .ping(let ping):
            perform(machine.receivedPing(opaque: ping.opaque))
        case .pong, .hello, .call, .cancel, nil:
            // Nothing a client answers: the server sends no Pongs it was not asked for, and the
            // client-only frames would be a server bug that changes nothing here.
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context, cause: ConnectionFailure.describe(error, serverHostname: settings.verifiedHostname))
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(machine.channelClosed(cause: closeCause))
        // Calls submitted from now on find the machine closed and are retried elsewhere.
        context.fireChannelInactive()
    }

    // MARK: - Actions

    private func fail(context: ChannelHandlerContext, cause: String) {
        if closeCause == nil { closeCause = cause }
        context.close(promise: nil)
    }

    private func perform(_ actions: [ClientConnectionStateMachine.Action]) {
        for action in actions {
            switch action {
            case .sendHello(let token):
                var hello = Predict_V1_Hello()
                hello.protocolVersion = WireProtocol.version
                hello.userAgent = settings.userAgent
                if let token { hello.authorization = "Bearer \(token)" }
                var frame = Predict_V1_Frame()
                frame.hello = hello
                write(frame)
            case .sendCall(let id, let callID):
                guard let held = calls[id], let context else { continue }
                write(CallFrame.header(callID: callID, callBytes: held.call.readableBytes, allocator: context.channel.allocator))
                write(held.call)
                // Sent: the bytes are no longer needed here (a retry re-serializes).
                calls[id]?.call = ByteBuffer()
            case .sendCancel(let callID):
                var frame = Predict_V1_Frame()
                frame.callID = callID
                frame.cancel = Predict_V1_Cancel()
                write(frame)
            case .sendPong(let opaque):
                var frame = Predict_V1_Frame()
                var pong = Predict_V1_Pong()
                pong.opaque = opaque
                frame.pong = pong
                write(frame)
            case .finish(let id, let outcome):
                guard let held = calls.removeValue(forKey: id) else { continue }
                held.deadlineTimer?.cancel()
                held.promise.succeed(outcome)
            case .stopTakingCalls:
                onStopTakingCalls?()
            case .close:
                flushIfNeeded()
                context?.close(promise: nil)
            }
        }
    }

    private func write(_ frame: Predict_V1_Frame) {
        // Control frames are a few bytes; a Frame that cannot serialize is a programming error.
        guard let buffer = try? ByteBuffer(frame: frame) else { return }
        write(buffer)
    }

    /// Appends to the bytes of this burst: one write per flush, so NIOSSL seals the burst's
    /// calls into as few TLS records as it can.
    private func write(_ buffer: ByteBuffer) {
        guard let context else { return }
        var buffer = buffer
        if outbound == nil { outbound = context.channel.allocator.buffer(capacity: max(4096, buffer.readableBytes)) }
        outbound!.writeBuffer(&buffer)
    }
}
