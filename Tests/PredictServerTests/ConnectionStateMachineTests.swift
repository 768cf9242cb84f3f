import Testing
@testable import PredictServer

/// PROTOCOL.md's per-connection rules, one test per rule, on the pure state machine.
@Suite struct ConnectionStateMachineTests {
    typealias Machine = ConnectionStateMachine

    /// A connection after a Hello with a verified token.
    static func openMachine(
        _ configuration: ConnectionConfiguration = ConnectionConfiguration(),
        token: String = "token-A"
    ) -> Machine {
        var machine = Machine(configuration: configuration)
        _ = machine.receivedHello(credential: .verified(token: token))
        return machine
    }

    /// Dispatches a call and returns its handle.
    static func accept(_ machine: inout Machine, _ callID: UInt64, _ kind: CallKind = .modelInfer) -> CallHandle {
        let actions = machine.receivedCall(callID: callID, kind: kind, token: nil)
        for case .dispatch(let handle, _, _) in actions { return handle }
        Issue.record("call \(callID) was not dispatched: \(actions)")
        return CallHandle(callID: callID, sequence: .max)
    }

    static func statusCodes(_ actions: [ConnectionAction]) -> [ConnectionStatus.Code] {
        actions.compactMap {
            switch $0 {
            case .sendResult(_, let status), .sendGoAway(_, let status): status.code
            default: nil
            }
        }
    }

    // MARK: Rule 1: Hello first, Welcome or GoAway UNAUTHENTICATED

    @Test func helloWithVerifiedTokenIsAnsweredWithWelcome() {
        var machine = Machine()
        let actions = machine.receivedHello(credential: .verified(token: "t"))
        #expect(actions == [.sendWelcome, .startIdleTimer])
        #expect(machine.state == .open)
        #expect(machine.connectionToken == "t")
    }

    @Test func helloWithoutTokenOpensAnUnauthenticatedConnection() {
        var machine = Machine()
        #expect(machine.receivedHello(credential: .none) == [.sendWelcome, .startIdleTimer])
        #expect(machine.state == .open)
        #expect(machine.connectionToken == nil)
    }

    @Test func helloWithTokenThatDoesNotVerifyGetsGoAwayUnauthenticatedAndCloses() {
        var machine = Machine()
        let actions = machine.receivedHello(credential: .rejected(reason: "token expired"))
        #expect(actions == [
            .sendGoAway(lastCallID: 0, ConnectionStatus(.unauthenticated, "token expired")),
            .close,
        ])
        #expect(machine.state == .closed)
    }

    @Test(arguments: ["call", "cancel", "ping", "pong", "unexpected"])
    func anyFrameOtherThanHelloFirstIsAProtocolError(frame: String) {
        var machine = Machine()
        let actions: [ConnectionAction]
        switch frame {
        case "call": actions = machine.receivedCall(callID: 1, kind: .serverLive, token: "t")
        case "cancel": actions = machine.receivedCancel(callID: 1)
        case "ping": actions = machine.receivedPing(opaque: 7)
        case "pong": actions = machine.receivedPong()
        default: actions = machine.receivedUnexpectedFrame("Result")
        }
        #expect(Self.statusCodes(actions) == [.invalidArgument])
        #expect(actions.first.map { if case .sendGoAway(0, _) = $0 { true } else { false } } == true)
        #expect(actions.last == .close)
        #expect(machine.state == .closed)
    }

    @Test func helloWithNonZeroCallIDIsAProtocolError() {
        var machine = Machine()
        let actions = machine.receivedHello(callID: 3, credential: .none)
        #expect(Self.statusCodes(actions) == [.invalidArgument])
        #expect(actions.last == .close)
    }

    @Test func helloAskingForAnUnsupportedProtocolVersionGetsGoAwayUnimplemented() {
        var machine = Machine()
        let actions = machine.receivedHello(protocolVersion: 2, credential: .none)
        #expect(Self.statusCodes(actions) == [.unimplemented])
        #expect(actions.last == .close)
    }

    @Test func callWithoutAnyTokenGetsUnauthenticatedWhenAuthenticationIsRequired() {
        var machine = Machine()
        _ = machine.receivedHello(credential: .none)
        let actions = machine.receivedCall(callID: 1, kind: .modelInfer, token: nil)
        #expect(Self.statusCodes(actions) == [.unauthenticated])
        #expect(machine.inFlightCalls.isEmpty)
        #expect(machine.state == .open)
    }

    @Test func callOnUnauthenticatedConnectionRunsWithItsOwnToken() {
        var machine = Machine()
        _ = machine.receivedHello(credential: .none)
        let actions = machine.receivedCall(callID: 1, kind: .modelInfer, token: "own")
        #expect(actions == [.cancelIdleTimer, .dispatch(CallHandle(callID: 1, sequence: 0), .modelInfer, token: "own")])
    }

    @Test func callWithoutTokenIsDispatchedWhenTheServerRunsWithoutAuthentication() {
        var machine = Machine(configuration: ConnectionConfiguration(authenticationRequired: false))
        _ = machine.receivedHello(credential: .none)
        let actions = machine.receivedCall(callID: 1, kind: .modelInfer, token: nil)
        #expect(actions == [.cancelIdleTimer, .dispatch(CallHandle(callID: 1, sequence: 0), .modelInfer, token: nil)])
    }

    // MARK: Rule 2: Hello again refreshes the identity

    @Test func helloAgainIsAnsweredWithWelcomeAndLaterCallsUseTheNewToken() {
        var machine = Self.openMachine(token: "old")
        #expect(machine.receivedHello(credential: .verified(token: "new")) == [.sendWelcome, .startIdleTimer])
        let actions = machine.receivedCall(callID: 1, kind: .modelInfer, token: nil)
        #expect(actions.contains(.dispatch(CallHandle(callID: 1, sequence: 0), .modelInfer, token: "new")))
    }

    @Test func callsInFlightKeepTheirIdentityWhenHelloRefreshesIt() {
        var machine = Self.openMachine(token: "old")
        let first = Self.accept(&machine, 1)
        #expect(machine.receivedHello(credential: .verified(token: "new")) == [.sendWelcome])
        let second = Self.accept(&machine, 2)
        #expect(machine.inFlightCalls[1]?.token == "old")
        #expect(machine.inFlightCalls[2]?.token == "new")
        #expect(machine.workFinished(first) == [.deliverResult(first)])
        #expect(machine.workFinished(second) == [.deliverResult(second), .startIdleTimer])
    }

    @Test func perCallTokenOverridesTheConnectionToken() {
        var machine = Self.openMachine(token: "conn")
        let actions = machine.receivedCall(callID: 1, kind: .modelInfer, token: "per-call")
        #expect(actions.contains(.dispatch(CallHandle(callID: 1, sequence: 0), .modelInfer, token: "per-call")))
    }

    @Test func refreshHelloWithBadTokenSendsGoAwayAndFinishesCallsInFlightBeforeClosing() {
        var machine = Self.openMachine()
        let call = Self.accept(&machine, 5)
        let actions = machine.receivedHello(credential: .rejected(reason: "signature invalid"))
        #expect(actions == [.sendGoAway(lastCallID: 5, ConnectionStatus(.unauthenticated, "signature invalid"))])
        #expect(machine.state == .draining)
        #expect(machine.workFinished(call) == [.deliverResult(call), .close])
    }

    // MARK: Rule 3: call ids

    @Test func callReusingInFlightIDGetsInvalidArgumentAndTheFirstCallIsUnaffected() {
        var machine = Self.openMachine()
        let first = Self.accept(&machine, 7)
        let actions = machine.receivedCall(callID: 7, kind: .serverLive, token: nil)
        #expect(actions.count == 1)
        #expect(Self.statusCodes(actions) == [.invalidArgument])
        #expect(machine.inFlightCalls[7]?.handle == first)
        #expect(machine.inFlightCalls[7]?.kind == .modelInfer)
        #expect(machine.workFinished(first) == [.deliverResult(first), .startIdleTimer])
    }

    @Test func callIDMayBeReusedOnceItsResultWasSent() {
        var machine = Self.openMachine()
        let first = Self.accept(&machine, 7)
        _ = machine.workFinished(first)
        let second = Self.accept(&machine, 7)
        #expect(second != first)
    }

    @Test func callWithCallIDZeroIsAProtocolError() {
        var machine = Self.openMachine()
        let inFlight = Self.accept(&machine, 1)
        let actions = machine.receivedCall(callID: 0, kind: .modelInfer, token: nil)
        #expect(actions == [
            .sendGoAway(lastCallID: 1, ConnectionStatus(.invalidArgument, "Call must have a non-zero call_id")),
            .cancelWork(inFlight),
            .close,
        ])
    }

    // MARK: Rule 4: exactly one Result per Call

    @Test func workResultIsDeliveredOnce() {
        var machine = Self.openMachine()
        let call = Self.accept(&machine, 1)
        #expect(machine.workFinished(call) == [.deliverResult(call), .startIdleTimer])
        #expect(machine.workFinished(call) == [.reportDroppedResult(call, .unknownCall)])
    }

    @Test func resultForACallNotInFlightIsIgnoredAndReported() {
        var machine = Self.openMachine()
        let stranger = CallHandle(callID: 42, sequence: 9)
        #expect(machine.workFinished(stranger) == [.reportDroppedResult(stranger, .unknownCall)])
    }

    @Test func resultOfOldWorkIsNotSentForANewCallReusingItsID() {
        var machine = Self.openMachine()
        let old = Self.accept(&machine, 3)
        _ = machine.receivedCancel(callID: 3)
        let new = Self.accept(&machine, 3)
        #expect(machine.workFinished(old) == [.reportDroppedResult(old, .cancelled)])
        #expect(machine.workFinished(new) == [.deliverResult(new), .startIdleTimer])
    }

    @Test func resultsMayArriveInAnyOrder() {
        var machine = Self.openMachine()
        let calls = (1...5).map { Self.accept(&machine, UInt64($0)) }
        for call in calls.reversed().dropLast() {
            #expect(machine.workFinished(call) == [.deliverResult(call)])
        }
        #expect(machine.workFinished(calls[0]) == [.deliverResult(calls[0]), .startIdleTimer])
    }

    // MARK: Rule 5: max_concurrent_calls

    @Test func callsBeyondMaxConcurrentCallsGetResourceExhaustedAndTheConnectionStaysUp() {
        var machine = Self.openMachine(ConnectionConfiguration(maxConcurrentCalls: 2))
        let first = Self.accept(&machine, 1)
        _ = Self.accept(&machine, 2)
        let actions = machine.receivedCall(callID: 3, kind: .modelInfer, token: nil)
        #expect(Self.statusCodes(actions) == [.resourceExhausted])
        #expect(machine.state == .open)
        #expect(machine.inFlightCalls.count == 2)
        _ = machine.workFinished(first)
        _ = Self.accept(&machine, 3)
    }

    // MARK: Rule 6 and 7: per-call authentication, probes

    @Test func healthChecksRunWithoutTokenWhenConfigured() {
        var machine = Machine()
        _ = machine.receivedHello(credential: .none)
        for (id, kind) in [(UInt64(1), CallKind.serverLive), (2, .serverReady)] {
            let actions = machine.receivedCall(callID: id, kind: kind, token: nil)
            #expect(actions.contains { if case .dispatch(_, kind, token: nil) = $0 { true } else { false } })
        }
        #expect(Self.statusCodes(machine.receivedCall(callID: 3, kind: .modelReady, token: nil)) == [.unauthenticated])
    }

    @Test func healthChecksNeedATokenWhenNotConfiguredToSkipIt() {
        var machine = Machine(configuration: ConnectionConfiguration(allowsUnauthenticatedHealthChecks: false))
        _ = machine.receivedHello(credential: .none)
        #expect(Self.statusCodes(machine.receivedCall(callID: 1, kind: .serverLive, token: nil)) == [.unauthenticated])
    }

    @Test func emptyCallTokenMeansNoTokenAndFallsBackToTheConnections() {
        var machine = Self.openMachine(token: "conn")
        let actions = machine.receivedCall(callID: 1, kind: .modelInfer, token: "")
        #expect(actions.contains(.dispatch(CallHandle(callID: 1, sequence: 0), .modelInfer, token: "conn")))
    }

    // MARK: Cancel

    @Test func cancelForInFlightCallCancelsTheWorkAndSendsCancelledOnce() {
        var machine = Self.openMachine()
        let call = Self.accept(&machine, 4)
        let actions = machine.receivedCancel(callID: 4)
        #expect(actions == [
            .cancelWork(call),
            .sendResult(callID: 4, ConnectionStatus(.cancelled, "cancelled by the client")),
            .startIdleTimer,
        ])
        #expect(machine.receivedCancel(callID: 4) == [.startIdleTimer])
    }

    @Test func resultArrivingAfterCancelIsDropped() {
        var machine = Self.openMachine()
        let call = Self.accept(&machine, 4)
        _ = machine.receivedCancel(callID: 4)
        #expect(machine.workFinished(call) == [.reportDroppedResult(call, .cancelled)])
    }

    @Test func cancelForUnknownCallIsIgnored() {
        var machine = Self.openMachine()
        let call = Self.accept(&machine, 1)
        #expect(machine.receivedCancel(callID: 99) == [])
        #expect(machine.receivedCancel(callID: 0) == [])
        #expect(machine.inFlightCalls[1]?.handle == call)
    }

    // MARK: Rule 8: drain

    @Test func drainSendsGoAwayOKWithHighestAcceptedIDAndAnswersLaterCallsUnavailable() {
        var machine = Self.openMachine(ConnectionConfiguration(maxConcurrentCalls: 1))
        let call = Self.accept(&machine, 9)
        _ = machine.receivedCall(callID: 12, kind: .modelInfer, token: nil)  // rejected: not accepted
        let actions = machine.startDrain()
        #expect(actions == [.sendGoAway(lastCallID: 9, ConnectionStatus(.ok, "the server is shutting down"))])
        #expect(machine.state == .draining)
        #expect(Self.statusCodes(machine.receivedCall(callID: 10, kind: .modelInfer, token: nil)) == [.unavailable])
        #expect(machine.startDrain() == [])
        #expect(machine.workFinished(call) == [.deliverResult(call), .close])
        #expect(machine.state == .closed)
    }

    @Test func drainTimeoutAnswersEveryCallStillInFlightUnavailableThenCloses() {
        var machine = Self.openMachine()
        let a = Self.accept(&machine, 3)
        let b = Self.accept(&machine, 7)
        _ = machine.startDrain()
        let actions = machine.drainTimedOut()
        let message = "the server stopped before this call finished (drain timeout); it may be retried"
        #expect(actions == [
            .cancelWork(a), .sendResult(callID: 3, ConnectionStatus(.unavailable, message)),
            .cancelWork(b), .sendResult(callID: 7, ConnectionStatus(.unavailable, message)),
            .close,
        ])
        #expect(machine.state == .closed)
        // The cancelled work's late completions are dropped, never sent a second time.
        #expect(machine.workFinished(a) == [.reportDroppedResult(a, .cancelled)])
        #expect(machine.drainTimedOut() == [])
    }

    @Test func drainTimeoutBeforeAnyDrainStillSaysGoAwayFirst() {
        var machine = Self.openMachine()
        let a = Self.accept(&machine, 1)
        let actions = machine.drainTimedOut()
        #expect(actions.first == .sendGoAway(lastCallID: 1, ConnectionStatus(.ok, "the server is shutting down")))
        #expect(actions.contains(.cancelWork(a)))
        #expect(actions.last == .close)
    }

    @Test func drainWithNoCallsInFlightClosesAtOnce() {
        var machine = Self.openMachine()
        #expect(machine.startDrain() == [.sendGoAway(lastCallID: 0, ConnectionStatus(.ok, "the server is shutting down")), .close])
    }

    @Test func drainWithCallsInFlightClosesAfterTheLastResult() {
        var machine = Self.openMachine()
        let a = Self.accept(&machine, 1)
        let b = Self.accept(&machine, 2)
        let c = Self.accept(&machine, 3)
        _ = machine.startDrain()
        #expect(machine.receivedPing(opaque: 1) == [.sendPong(opaque: 1)])
        #expect(machine.workFinished(b) == [.deliverResult(b)])
        #expect(machine.receivedCancel(callID: 1).contains(.cancelWork(a)))
        #expect(machine.state == .draining)
        #expect(machine.workFinished(c) == [.deliverResult(c), .close])
        #expect(machine.workFinished(a) == [.reportDroppedResult(a, .cancelled)])
    }

    @Test func drainBeforeHelloClosesWithGoAway() {
        var machine = Machine()
        #expect(machine.startDrain() == [.sendGoAway(lastCallID: 0, ConnectionStatus(.ok, "the server is shutting down")), .close])
    }

    // MARK: Rule 9: Ping, idle and read timeouts

    @Test func pingIsAnsweredWithPongCarryingTheSameOpaque() {
        var machine = Self.openMachine()
        #expect(machine.receivedPing(opaque: 0xDEAD_BEEF) == [.sendPong(opaque: 0xDEAD_BEEF), .startIdleTimer])
        _ = Self.accept(&machine, 1)
        #expect(machine.receivedPing(opaque: 5) == [.sendPong(opaque: 5)])
    }

    @Test func pingWithNonZeroCallIDIsAProtocolError() {
        var machine = Self.openMachine()
        #expect(Self.statusCodes(machine.receivedPing(callID: 2, opaque: 5)) == [.invalidArgument])
        #expect(machine.state == .closed)
    }

    @Test func idleTimerStopsWhileCallsAreInFlightAndRestartsWhenTheLastFinishes() {
        var machine = Self.openMachine()
        #expect(machine.receivedCall(callID: 1, kind: .modelInfer, token: nil).first == .cancelIdleTimer)
        #expect(machine.receivedCall(callID: 2, kind: .modelInfer, token: nil).first != .cancelIdleTimer)
        _ = machine.workFinished(CallHandle(callID: 1, sequence: 0))
        #expect(machine.workFinished(CallHandle(callID: 2, sequence: 1)).last == .startIdleTimer)
    }

    @Test func idleConnectionIsClosedWithGoAwayOK() {
        var machine = Self.openMachine()
        let call = Self.accept(&machine, 6)
        _ = machine.workFinished(call)
        #expect(machine.idleTimerFired() == [.sendGoAway(lastCallID: 6, ConnectionStatus(.ok, "idle timeout")), .close])
        #expect(machine.state == .closed)
    }

    @Test func connectionThatNeverSaysHelloIsClosedWhenIdle() {
        var machine = Machine()
        #expect(machine.idleTimerFired().last == .close)
    }

    @Test func staleIdleTimerFiringWithCallsInFlightIsIgnored() {
        var machine = Self.openMachine()
        _ = Self.accept(&machine, 1)
        #expect(machine.idleTimerFired() == [])
        #expect(machine.state == .open)
    }

    @Test func readTimeoutMidFrameClosesAndCancelsWork() {
        var machine = Self.openMachine()
        let call = Self.accept(&machine, 1)
        #expect(machine.readTimeoutFired() == [.cancelWork(call), .close])
        #expect(machine.workFinished(call) == [.reportDroppedResult(call, .connectionClosed)])
    }

    // MARK: Framing: decoder errors

    @Test func invalidFrameFromTheDecoderGetsGoAwayWithItsStatusAndCloses() {
        var machine = Self.openMachine()
        let call = Self.accept(&machine, 2)
        let status = ConnectionStatus(.resourceExhausted, "frame of 9000000 bytes exceeds the limit of 4194304")
        #expect(machine.receivedInvalidFrame(status) == [.sendGoAway(lastCallID: 2, status), .cancelWork(call), .close])
    }

    @Test func frameOnlyTheServerMaySendIsAProtocolError() {
        var machine = Self.openMachine()
        let actions = machine.receivedUnexpectedFrame("GoAway")
        #expect(Self.statusCodes(actions) == [.invalidArgument])
        #expect(actions.last == .close)
    }

    @Test func peerClosingCancelsWorkAndSendsNothing() {
        var machine = Self.openMachine()
        let a = Self.accept(&machine, 1)
        let b = Self.accept(&machine, 2)
        #expect(machine.connectionClosed() == [.cancelWork(a), .cancelWork(b)])
        #expect(machine.connectionClosed() == [])
    }

    @Test func nothingIsSentAfterClose() {
        var machine = Self.openMachine()
        let call = Self.accept(&machine, 1)
        _ = machine.receivedInvalidFrame(ConnectionStatus(.invalidArgument, "bad flags"))
        #expect(machine.receivedHello(credential: .none) == [])
        #expect(machine.receivedCall(callID: 2, kind: .serverLive, token: "t") == [])
        #expect(machine.receivedCancel(callID: 1) == [])
        #expect(machine.receivedPing(opaque: 1) == [])
        #expect(machine.receivedPong() == [])
        #expect(machine.receivedUnexpectedFrame("Result") == [])
        #expect(machine.receivedInvalidFrame(ConnectionStatus(.invalidArgument, "x")) == [])
        #expect(machine.startDrain() == [])
        #expect(machine.idleTimerFired() == [])
        #expect(machine.readTimeoutFired() == [])
        #expect(machine.workFinished(call) == [.reportDroppedResult(call, .connectionClosed)])
    }
}
