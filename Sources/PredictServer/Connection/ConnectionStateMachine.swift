/// The per-connection rules of PROTOCOL.md as a value: events in, actions out, no I/O.
///
/// The channel handler decodes frames, verifies Hello tokens, runs timers and work, and feeds
/// what happened to one `mutating func` per event; it then performs the returned
/// `ConnectionAction`s in order. The machine promises:
/// - every Call it is told about gets exactly one Result while the connection is open: the
///   work's (`deliverResult`) or an error status (`sendResult`);
/// - no `dispatch` for a call id already in flight, and never more than
///   `maxConcurrentCalls` calls in flight;
/// - after `.close`, no action other than `.reportDroppedResult`.
///
/// docs/PROTOCOL-IMPLEMENTATION.md maps each rule to the events below.
struct ConnectionStateMachine: Sendable {
    /// Where the connection is in its life.
    enum State: Hashable, Sendable {
        /// Accepted, no Hello yet: only Hello is allowed (rule 1).
        case awaitingHello
        /// Hello answered: calls are accepted.
        case open
        /// GoAway sent with status OK or UNAUTHENTICATED: in-flight calls finish, new ones get
        /// UNAVAILABLE, the connection closes with the last Result (rule 8).
        case draining
        /// Closed or closing: nothing more is sent.
        case closed
    }

    /// A call accepted and not yet answered.
    struct InFlightCall: Hashable, Sendable {
        var handle: CallHandle
        var kind: CallKind
        /// The credential it runs with, fixed when it was accepted (rule 2).
        var token: String?
    }

    let configuration: ConnectionConfiguration
    private(set) var state: State = .awaitingHello
    /// Keyed by call_id.
    private(set) var inFlightCalls: [UInt64: InFlightCall] = [:]
    /// The connection's token from the latest verified Hello; nil when unauthenticated.
    private(set) var connectionToken: String?
    /// The highest call_id dispatched on this connection, for `GoAway.last_call_id`.
    private(set) var highestAcceptedCallID: UInt64 = 0
    /// Cancelled work not yet finished, so its completion is dropped as `.cancelled`.
    private var cancelledWork: Set<CallHandle> = []
    private var nextSequence: UInt64 = 0

    /// A machine for a new connection. The handler arms the idle timer when the channel becomes
    /// active, so a client that never says Hello is closed as idle.
    init(configuration: ConnectionConfiguration = ConnectionConfiguration()) {
        self.configuration = configuration
    }

    // MARK: - Frames from the client

    /// A `Hello` frame (rules 1 and 2), with the handler's verdict on its token.
    mutating func receivedHello(
        callID: UInt64 = 0,
        protocolVersion: UInt32 = 1,
        credential: HelloCredential
    ) -> [ConnectionAction] {
        switch state {
        case .closed:
            return []
        case .awaitingHello, .open, .draining:
            break
        }
        if callID != 0 {
            return protocolError(.invalidArgument, "Hello must have call_id 0, got \(callID)")
        }
        guard configuration.supportedProtocolVersions.contains(protocolVersion) else {
            return protocolError(
                .unimplemented,
                "protocol version \(protocolVersion) is not supported; this server speaks 1"
            )
        }
        switch credential {
        case .rejected(let reason):
            let status = ConnectionStatus(.unauthenticated, reason)
            switch state {
            case .awaitingHello:
                return protocolError(status)
            case .open:
                // Calls already in flight were accepted under a credential that verified: they
                // finish (rule 4), then the connection closes (rule 1).
                return startGoingAway(status)
            case .draining, .closed:
                return []
            }
        case .none:
            connectionToken = nil
        case .verified(let token):
            connectionToken = token.isEmpty ? nil : token
        }
        if state == .awaitingHello {
            state = .open
        }
        return [.sendWelcome] + rearmIdleTimerIfIdle()
    }

    /// A `Call` frame. `token` is the call's own `authorization`, empty meaning none.
    mutating func receivedCall(callID: UInt64, kind: CallKind, token: String?) -> [ConnectionAction] {
        if let refusal = refuseUnlessOpen() { return refusal }
        if callID == 0 {
            return protocolError(.invalidArgument, "Call must have a non-zero call_id")
        }
        if inFlightCalls[callID] != nil {
            return [.sendResult(callID: callID, ConnectionStatus(.invalidArgument, "call id \(callID) is already in flight"))]
        }
        if state == .draining {
            return [.sendResult(callID: callID, ConnectionStatus(.unavailable, "the server is draining; use a new connection"))]
        }
        if inFlightCalls.count >= configuration.maxConcurrentCalls {
            return [.sendResult(callID: callID, ConnectionStatus(
                .resourceExhausted,
                "too many calls in flight on this connection (limit \(configuration.maxConcurrentCalls))"
            ))]
        }
        let callToken = (token?.isEmpty ?? true) ? nil : token
        let effectiveToken = callToken ?? connectionToken
        if effectiveToken == nil && configuration.authenticationRequired
            && !(kind.isHealthCheck && configuration.allowsUnauthenticatedHealthChecks)
        {
            return [.sendResult(callID: callID, ConnectionStatus(
                .unauthenticated,
                "missing token: send one in Hello or in the Call"
            ))] + rearmIdleTimerIfIdle()
        }

        let handle = CallHandle(callID: callID, sequence: nextSequence)
        nextSequence += 1
        let wasIdle = inFlightCalls.isEmpty
        inFlightCalls[callID] = InFlightCall(handle: handle, kind: kind, token: effectiveToken)
        highestAcceptedCallID = max(highestAcceptedCallID, callID)
        let dispatch = ConnectionAction.dispatch(handle, kind, token: effectiveToken)
        return wasIdle ? [.cancelIdleTimer, dispatch] : [dispatch]
    }

    /// A `Cancel` frame. An unknown call id is ignored: its Result may already be on the wire.
    mutating func receivedCancel(callID: UInt64) -> [ConnectionAction] {
        if let refusal = refuseUnlessOpen() { return refusal }
        guard let call = inFlightCalls.removeValue(forKey: callID) else {
            return rearmIdleTimerIfIdle()
        }
        cancelledWork.insert(call.handle)
        return [
            .cancelWork(call.handle),
            .sendResult(callID: callID, ConnectionStatus(.cancelled, "cancelled by the client")),
        ] + callEnded()
    }

    /// A `Ping` frame: answered with the same opaque value (rule 9).
    mutating func receivedPing(callID: UInt64 = 0, opaque: UInt64) -> [ConnectionAction] {
        if let refusal = refuseUnlessOpen() { return refusal }
        if callID != 0 {
            return protocolError(.invalidArgument, "Ping must have call_id 0, got \(callID)")
        }
        return [.sendPong(opaque: opaque)] + rearmIdleTimerIfIdle()
    }

    /// A `Pong` frame. The server sends no Pings, so it only counts as activity.
    mutating func receivedPong() -> [ConnectionAction] {
        if let refusal = refuseUnlessOpen() { return refusal }
        return rearmIdleTimerIfIdle()
    }

    /// What a frame other than Hello gets when the connection is not open: nothing once closed,
    /// a protocol error before Hello (rule 1). Nil when the frame may be handled.
    private mutating func refuseUnlessOpen() -> [ConnectionAction]? {
        switch state {
        case .closed: []
        case .awaitingHello: protocolError(.invalidArgument, "the first frame must be Hello")
        case .open, .draining: nil
        }
    }

    /// A frame only the server may send (`Welcome`, `Result`, `GoAway`) or an empty Frame.
    mutating func receivedUnexpectedFrame(_ description: String) -> [ConnectionAction] {
        if state == .closed { return [] }
        return protocolError(.invalidArgument, "a client may not send \(description)")
    }

    /// The decoder rejected the input (oversize frame, flag bits, undecodable payload), with the
    /// status PROTOCOL.md's Framing section names for it.
    mutating func receivedInvalidFrame(_ status: ConnectionStatus) -> [ConnectionAction] {
        if state == .closed { return [] }
        return protocolError(status)
    }

    // MARK: - Events from the server side

    /// The call's work finished; the handler holds its Result.
    mutating func workFinished(_ handle: CallHandle) -> [ConnectionAction] {
        if cancelledWork.remove(handle) != nil {
            return [.reportDroppedResult(handle, .cancelled)]
        }
        if state == .closed {
            return [.reportDroppedResult(handle, .connectionClosed)]
        }
        guard let call = inFlightCalls[handle.callID], call.handle == handle else {
            return [.reportDroppedResult(handle, .unknownCall)]
        }
        inFlightCalls[handle.callID] = nil
        return [.deliverResult(handle)] + callEnded()
    }

    /// The server is shutting down: GoAway(OK), finish what was accepted, then close (rule 8).
    mutating func startDrain() -> [ConnectionAction] {
        switch state {
        case .awaitingHello, .open:
            return startGoingAway(ConnectionStatus(.ok, "the server is shutting down"))
        case .draining, .closed:
            return []
        }
    }

    /// The drain ran out of time (`--drain-timeout`): every call still in flight is answered
    /// UNAVAILABLE now, its work cancelled, and the connection closes. The client never accepted
    /// a result for these calls, so it may retry them elsewhere.
    mutating func drainTimedOut() -> [ConnectionAction] {
        if state == .closed { return [] }
        var actions: [ConnectionAction] = []
        if state != .draining {
            actions.append(.sendGoAway(lastCallID: highestAcceptedCallID, ConnectionStatus(.ok, "the server is shutting down")))
        }
        let calls = inFlightCalls.values.sorted { $0.handle.sequence < $1.handle.sequence }
        inFlightCalls.removeAll()
        for call in calls {
            cancelledWork.insert(call.handle)
            actions.append(.cancelWork(call.handle))
            actions.append(.sendResult(callID: call.handle.callID, ConnectionStatus(
                .unavailable, "the server stopped before this call finished (drain timeout); it may be retried")))
        }
        actions.append(.close)
        state = .closed
        return actions
    }

    /// The idle timer fired. Stale firings (a call started meanwhile) are ignored.
    mutating func idleTimerFired() -> [ConnectionAction] {
        switch state {
        case .awaitingHello, .open:
            guard inFlightCalls.isEmpty else { return [] }
            state = .closed
            return [
                .sendGoAway(lastCallID: highestAcceptedCallID, ConnectionStatus(.ok, "idle timeout")),
                .close,
            ]
        case .draining, .closed:
            return []
        }
    }

    /// The peer stalled in the middle of a frame past the read timeout (rule 9): close at once,
    /// without a GoAway, since a stalled peer may not be reading either.
    mutating func readTimeoutFired() -> [ConnectionAction] {
        if state == .closed { return [] }
        return closeNow(goAway: nil)
    }

    /// The channel closed under us (peer reset, write failure): stop all work, send nothing.
    mutating func connectionClosed() -> [ConnectionAction] {
        if state == .closed { return [] }
        let cancellations = cancelAllWork()
        state = .closed
        return cancellations
    }

    // MARK: - Helpers

    /// GoAway with the status, then drain, or close at once when nothing is in flight.
    private mutating func startGoingAway(_ status: ConnectionStatus) -> [ConnectionAction] {
        let goAway = ConnectionAction.sendGoAway(lastCallID: highestAcceptedCallID, status)
        if inFlightCalls.isEmpty {
            state = .closed
            return [goAway, .close]
        }
        state = .draining
        return [goAway]
    }

    private mutating func protocolError(_ code: ConnectionStatus.Code, _ message: String) -> [ConnectionAction] {
        protocolError(ConnectionStatus(code, message))
    }

    /// A protocol error ends the connection now: the input can no longer be trusted, so calls in
    /// flight are cancelled rather than finished.
    private mutating func protocolError(_ status: ConnectionStatus) -> [ConnectionAction] {
        closeNow(goAway: status)
    }

    private mutating func closeNow(goAway status: ConnectionStatus?) -> [ConnectionAction] {
        var actions: [ConnectionAction] = []
        if let status {
            actions.append(.sendGoAway(lastCallID: highestAcceptedCallID, status))
        }
        actions += cancelAllWork()
        actions.append(.close)
        state = .closed
        return actions
    }

    private mutating func cancelAllWork() -> [ConnectionAction] {
        let handles = inFlightCalls.values.map(\.handle).sorted { $0.sequence < $1.sequence }
        inFlightCalls.removeAll()
        // Their completions are reported as `.connectionClosed`, not `.cancelled`.
        return handles.map { .cancelWork($0) }
    }

    /// After a call's Result: idle again, or the end of a drain.
    private mutating func callEnded() -> [ConnectionAction] {
        guard inFlightCalls.isEmpty else { return [] }
        switch state {
        case .open:
            return [.startIdleTimer]
        case .draining:
            state = .closed
            return [.close]
        case .awaitingHello, .closed:
            return []
        }
    }

    /// Any frame counts as activity while no call is in flight.
    private func rearmIdleTimerIfIdle() -> [ConnectionAction] {
        state == .open && inFlightCalls.isEmpty ? [.startIdleTimer] : []
    }
}
