import Logging
import NIOCore
import NIOSSL
import NIOTLS
import PredictProtocol
import PredictServing

/// The channel handler of one connection: decodes frames, feeds them to the
/// `ConnectionStateMachine` and performs the actions it returns. It owns the I/O the machine
/// leaves out: the idle, read and call-deadline timers, the call table's pending work, and
/// write coalescing (every Result written in one read burst or one batch goes out with one flush).
final class ConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// An inference call queued in the serving core.
    private struct RunningCall {
        var handle: CallHandle
        var submission: Submission
        var pending: CallDispatcher.PendingInference
        var record: CallRecord
        /// Monotonic nanoseconds at which the call gets DEADLINE_EXCEEDED.
        var deadline: UInt64
        /// Cancelled by the client or the connection; kept until its outcome arrives so the
        /// machine hears that the work ended.
        var cancelled = false
    }

    private var machine: ConnectionStateMachine
    private var credentials: ConnectionCredentials
    private let settings: ConnectionSettings
    private let dispatcher: CallDispatcher
    private var logger: Logger

    private var context: ChannelHandlerContext?
    private var sink: ConnectionOutcomeSink?
    private var inbound: ByteBuffer?
    /// Keyed by `CallHandle.sequence`, the tag the serving core hands back.
    private var running: [UInt64: RunningCall] = [:]
    /// Results ready for the machine's `deliverResult`, with what metrics and logs say of them.
    private var readyResults: [CallHandle: (result: Predict_V1_Result, record: CallRecord)] = [:]
    private var handshakeCompleted = false
    /// This connection's call meters, so counting a call needs no lock.
    private var meters: [ServerMetrics.CallKey: ServerMetrics.CallMeter] = [:]
    private var countedOpen = false
    private var idleTimer: Scheduled<Void>?
    private var readTimer: Scheduled<Void>?
    private var deadlineTimer: (at: UInt64, task: Scheduled<Void>)?
    /// Frames written since the last flush, gathered into one buffer: one write, so NIOSSL
    /// seals a burst's frames into as few TLS records as it can.
    private var outbound: ByteBuffer?
    private var readHeld = false

    init(settings: ConnectionSettings, dispatcher: CallDispatcher, logger: Logger) {
        self.machine = ConnectionStateMachine(configuration: settings.machine)
        self.credentials = ConnectionCredentials(
            settings.authentication, accessPolicy: settings.accessPolicy,
            events: AuthenticationEvents(metrics: settings.metrics, logger: logger))
        self.settings = settings
        self.dispatcher = dispatcher
        self.logger = logger
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        sink = ConnectionOutcomeSink(handler: self, eventLoop: context.eventLoop)
        if context.channel.isActive { startIdleTimer() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
        sink?.detach()
        sink = nil
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        // A client that connects and never says Hello is closed as idle.
        startIdleTimer()
        if !countedOpen {
            countedOpen = true
            settings.metrics.connectionOpened()
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(machine.connectionClosed())
        cancelTimers()
        if countedOpen {
            countedOpen = false
            settings.metrics.connectionClosed()
        }
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event { handshakeCompleted = true }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        if inbound == nil {
            inbound = bytes
        } else {
            inbound!.writeBuffer(&bytes)
        }
        var completedFrame = false
        while machine.state != .closed, inbound != nil {
            let frame: Predict_V1_Frame?
            do {
                frame = try FrameDecoder.decodeFrame(from: &inbound!, maxFrameBytes: settings.maxFrameBytes)
            } catch let error as ProtocolError {
                inbound = nil
                perform(machine.receivedInvalidFrame(ConnectionStatus(error.code, error.message)))
                break
            } catch {
                inbound = nil
                perform(machine.receivedInvalidFrame(ConnectionStatus(.invalidArgument, "undecodable frame")))
                break
            }
            guard let frame else { break }
            completedFrame = true
            received(frame)
        }
        if let buffer = inbound, buffer.readableBytes == 0 { inbound = nil }
        updateReadTimer(partialFrame: inbound != nil, frameCompleted: completedFrame)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flushIfNeeded()
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // TLS failures (plaintext or HTTP on the TLS port, a bad handshake) and resets: the
        // peer is gone or never spoke the protocol. Nothing to tell it.
        if settings.usesTLS && !handshakeCompleted {
            let reason = Self.handshakeFailureReason(error)
            settings.metrics.tlsHandshakeFailed(reason: reason)
            // Load balancers' TCP checks connect and hang up: counted, not worth a line each.
            let level: Logger.Level = reason == "closed_during_handshake" ? .debug : .info
            logger.log(level: level, "TLS handshake failed", metadata: ["reason": "\(reason)", "error": "\(error)"])
        } else {
            logger.debug("connection error, closing", metadata: ["error": "\(error)"])
        }
        context.close(promise: nil)
    }

    /// Holds reads while the peer does not read what it is sent, so a client that sends calls
    /// without reading their Results cannot grow the server's buffers without bound.
    func read(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            context.read()
        } else {
            readHeld = true
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable && readHeld {
            readHeld = false
            context.read()
        }
        context.fireChannelWritabilityChanged()
    }

    // MARK: Frames

    private func received(_ frame: Predict_V1_Frame) {
        switch frame.kind {
        case .hello(let hello):
            let credential = frame.callID == 0 && hello.protocolVersion == WireProtocol.version
                ? credentials.hello(hello.authorization)
                : .none  // the machine refuses the Hello itself; no token is looked at
            perform(machine.receivedHello(callID: frame.callID, protocolVersion: hello.protocolVersion, credential: credential))
        case .call(let call):
            let kind = CallKind(call.request)
            perform(machine.receivedCall(callID: frame.callID, kind: kind, token: call.authorization), call: call)
        case .cancel:
            perform(machine.receivedCancel(callID: frame.callID))
        case .ping(let ping):
            perform(machine.receivedPing(callID: frame.callID, opaque: ping.opaque))
        case .pong:
            perform(machine.receivedPong())
        case .welcome:
            perform(machine.receivedUnexpectedFrame("Welcome"))
        case .result:
            perform(machine.receivedUnexpectedFrame("Result"))
        case .goAway:
            perform(machine.receivedUnexpectedFrame("GoAway"))
        case nil:
            perform(machine.receivedUnexpectedFrame("a Frame without a message (empty, or of a newer protocol version)"))
        }
    }

    // MARK: Work

    /// Outcomes of one batch, on the event loop.
    func inferencesFinished(_ outcomes: [(tag: UInt64, outcome: InferenceOutcome)]) {
        for (tag, outcome) in outcomes {
            guard let call = running.removeValue(forKey: tag) else { continue }  // expired already
            if !call.cancelled {
                readyResults[call.handle] = (CallDispatcher.result(outcome, for: call.pending), call.record)
            }
            perform(machine.workFinished(call.handle))
        }
        flushIfNeeded()
    }

    /// The server is shutting down (rule 8).
    func drain() {
        perform(machine.startDrain())
        flushIfNeeded()
    }

    /// The drain ran out of time: calls still running get UNAVAILABLE, then the connection closes.
    func drainTimedOut() {
        let cut = running.count
        perform(machine.drainTimedOut())
        if cut > 0 { logger.warning("drain timeout: answered calls still running UNAVAILABLE", metadata: ["calls": "\(cut)"]) }
    }

    private func dispatch(_ handle: CallHandle, _ call: Predict_V1_Call, record: CallRecord) {
        let now = record.started
        let timeout = call.timeoutMs > 0 ? UInt64(call.timeoutMs) * 1_000_000 : settings.defaultCallTimeoutNanoseconds
        let deadline = now &+ timeout
        let serviceDeadline = call.timeoutMs > 0 ? Deadline(nanoseconds: deadline) : nil
        switch dispatcher.start(call, tag: handle.sequence, serviceDeadline: serviceDeadline, principal: credentials.allowedPrincipal, sink: sink!) {
        case .answered(let result):
            readyResults[handle] = (result, record)
            perform(machine.workFinished(handle))
        case .deferred(let start):
            guard let context else { return }
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            let eventLoop = context.eventLoop
            start { result in
                eventLoop.execute {
                    let this = handler.value
                    this.readyResults[handle] = (result, record)
                    this.perform(this.machine.workFinished(handle))
                    this.readyResults[handle] = nil  // dropped: cancelled or the connection closed
                    this.flushIfNeeded()
                }
            }
        case .submitted(let submission, let pending):
            running[handle.sequence] = RunningCall(handle: handle, submission: submission, pending: pending, record: record, deadline: deadline)
            armDeadlineTimer(at: deadline, now: now)
        }
    }

    private func cancelWork(_ handle: CallHandle) {
        guard running[handle.sequence] != nil else { return }
        running[handle.sequence]!.cancelled = true
        running[handle.sequence]!.submission.cancel()
    }

    // MARK: Actions

    private func perform(_ actions: [ConnectionAction], call: Predict_V1_Call? = nil) {
        for action in actions {
            switch action {
            case .sendWelcome:
                write(settings.welcome(identity: credentials.identity))
            case .dispatch(let handle, let kind, let token):
                let record = CallRecord(kind: kind, model: CallKind.model(of: call!.request), started: MonotonicClock.nanoseconds())
                if let refusal = credentials.refusal(of: call!, token: token) {
                    readyResults[handle] = (refusal, record)
                    perform(machine.workFinished(handle))
                } else {
                    dispatch(handle, call!, record: record)
                }
            case .cancelWork(let handle):
                cancelWork(handle)
            case .deliverResult(let handle):
                guard let (result, record) = readyResults.removeValue(forKey: handle) else {
                    logger.error("no result held for a finished call", metadata: ["call": "\(handle)"])
                    continue
                }
                finished(handle.callID, record, result)
                write(resultFrame(handle.callID, result))
            case .sendResult(let callID, let status):
                let kind = call.map { CallKind($0.request) } ?? .unrecognized
                if status.code == .unauthenticated { credentials.events.missingToken() }
                let record = CallRecord(kind: kind, model: call.map { CallKind.model(of: $0.request) } ?? "", started: MonotonicClock.nanoseconds())
                let result = Predict_V1_Result(status)
                finished(callID, record, result)
                write(resultFrame(callID, result))
            case .sendPong(let opaque):
                var pong = Predict_V1_Pong()
                pong.opaque = opaque
                var frame = Predict_V1_Frame()
                frame.pong = pong
                write(frame)
            case .sendGoAway(let lastCallID, let status):
                var goAway = Predict_V1_GoAway()
                goAway.lastCallID = lastCallID
                goAway.status = Predict_V1_Status(status.code, status.message)
                var frame = Predict_V1_Frame()
                frame.goAway = goAway
                write(frame)
                if status.code != .ok {
                    logger.info("protocol error, closing connection", metadata: ["status": "\(status)"])
                }
            case .startIdleTimer:
                startIdleTimer()
            case .cancelIdleTimer:
                idleTimer?.cancel()
                idleTimer = nil
            case .close:
                flushIfNeeded()
                cancelTimers()
                context?.close(promise: nil)
            case .reportDroppedResult(let handle, let reason):
                if reason == .unknownCall {
                    logger.warning("a finished call was not in the call table", metadata: ["call": "\(handle)"])
                }
            }
        }
    }

    /// Counts and logs a call as its Result goes out.
    private func finished(_ callID: UInt64, _ record: CallRecord, _ result: Predict_V1_Result) {
        let status = StatusCode(rawValue: result.status.code) ?? .internalError
        // Only names the server serves become label values, so callers cannot grow the set.
        let known = status == .ok || (!record.model.isEmpty && dispatcher.service.isKnown(model: record.model))
        let version = status == .ok && record.kind == .modelInfer ? result.modelInfer.modelVersion : ""
        let labels = ServerMetrics.CallLabels(method: record.kind.name, model: known ? record.model : "", version: version)
        let elapsed = MonotonicClock.nanoseconds() &- record.started
        let key = ServerMetrics.CallKey(labels: labels, status: status)
        if let meter = meters[key] {
            meter.record(nanoseconds: elapsed)
        } else {
            let meter = settings.metrics.meter(key)
            meters[key] = meter
            meter.record(nanoseconds: elapsed)
        }
        if status == .internalError {
            logger.warning("call failed", metadata: [
                "call_id": "\(callID)", "method": "\(labels.method)", "model": "\(labels.model)", "status": "\(status.name)",
                "error": "\(result.status.message)",
            ])
        } else {
            logger.debug("call", metadata: [
                "call_id": "\(callID)", "method": "\(labels.method)", "model": "\(labels.model)", "version": "\(version)",
                "status": "\(status.name)", "duration_us": "\(elapsed / 1000)",
            ])
        }
    }

    private func resultFrame(_ callID: UInt64, _ result: Predict_V1_Result) -> Predict_V1_Frame {
        var frame = Predict_V1_Frame()
        frame.callID = callID
        frame.result = result
        return frame
    }

    private func write(_ frame: Predict_V1_Frame) {
        guard let context else { return }
        do {
            if outbound == nil { outbound = context.channel.allocator.buffer(capacity: 4096) }
            try outbound!.writeFrame(frame)
        } catch {
            logger.error("cannot encode a frame", metadata: ["error": "\(error)"])
        }
    }

    private func flushIfNeeded() {
        guard let buffer = outbound, let context else { return }
        outbound = nil
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    // MARK: Timers

    private func startIdleTimer() {
        guard let context else { return }
        idleTimer?.cancel()
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        idleTimer = context.eventLoop.scheduleTask(in: settings.idleTimeout) {
            handler.value.idleTimer = nil
            handler.value.perform(handler.value.machine.idleTimerFired())
        }
    }

    /// Runs from the first byte of a frame to its last: a peer stalled in between is cut off.
    private func updateReadTimer(partialFrame: Bool, frameCompleted: Bool) {
        if !partialFrame || frameCompleted {
            readTimer?.cancel()
            readTimer = nil
        }
        guard partialFrame, readTimer == nil, let context else { return }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        readTimer = context.eventLoop.scheduleTask(in: settings.readTimeout) {
            let this = handler.value
            this.readTimer = nil
            this.logger.info("peer stalled in the middle of a frame, closing")
            this.perform(this.machine.readTimeoutFired())
        }
    }

    /// One timer per connection, at the earliest deadline of its running calls.
    private func armDeadlineTimer(at deadline: UInt64, now: UInt64) {
        if let armed = deadlineTimer, armed.at <= deadline { return }
        guard let context else { return }
        deadlineTimer?.task.cancel()
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let delay = TimeAmount.nanoseconds(Int64(clamping: deadline > now ? deadline - now : 0))
        let task = context.eventLoop.scheduleTask(in: delay) {
            handler.value.deadlineTimer = nil
            handler.value.expireCalls()
        }
        deadlineTimer = (deadline, task)
    }

    /// Answers DEADLINE_EXCEEDED for every running call whose deadline passed and takes it out
    /// of the serving queue; its late outcome, if any, is ignored.
    private func expireCalls() {
        let now = MonotonicClock.nanoseconds()
        var next: UInt64?
        for (sequence, call) in running where !call.cancelled {
            if call.deadline <= now {
                running[sequence] = nil
                call.submission.cancel()
                readyResults[call.handle] = (Predict_V1_Result(ConnectionStatus(.deadlineExceeded, "the call's deadline passed before a result")), call.record)
                perform(machine.workFinished(call.handle))
            } else {
                next = min(next ?? call.deadline, call.deadline)
            }
        }
        if let next { armDeadlineTimer(at: next, now: now) }
        flushIfNeeded()
    }

    /// The `reason` label of a failed TLS handshake.
    static func handshakeFailureReason(_ error: any Error) -> String {
        switch error {
        case NIOSSLError.handshakeFailed: "handshake_failed"
        case NIOSSLError.uncleanShutdown: "closed_during_handshake"
        case is NIOSSLError: "tls_error"
        default: "connection_error"
        }
    }

    private func cancelTimers() {
        idleTimer?.cancel()
        idleTimer = nil
        readTimer?.cancel()
        readTimer = nil
        deadlineTimer?.task.cancel()
        deadlineTimer = nil
    }
}
