import NIOCore
import PredictProtocol

/// The client's side of PROTOCOL.md for one connection, as a value: events in, actions out,
/// no I/O.
///
/// `ClientConnectionHandler` feeds it what happened (transport ready, frames, cancellations,
/// deadlines, close) and performs the returned ``Action``s in order. It promises:
/// - Hello goes first, and again before any call whose token differs from the last Hello's
///   (rule 2); calls wait for the Welcome that answers it;
/// - call_ids increase from 1 and are never reused, so a late Result cannot be mistaken;
/// - at most `Welcome.max_concurrent_calls` calls are on the wire; the rest wait here, in order
///   (rule 5 is never triggered by this client);
/// - every submitted call is finished exactly once: with the server's Result, a local error,
///   or ``CallOutcome/retry`` when the server provably never accepted it (GoAway with a lower
///   `last_call_id`, or never sent).
struct ClientConnectionStateMachine {
    enum State: Hashable, Sendable {
        /// TCP (and TLS) not up yet; calls wait.
        case connecting
        /// Hello sent, its Welcome not yet here; calls wait.
        case greeting
        /// Calls go out as slots allow.
        case open
        /// GoAway received or the client is closing: in-flight calls finish, no new ones.
        case goingAway
        /// The channel is closed.
        case closed
    }

    enum Action: Equatable, Sendable {
        case sendHello(token: String?)
        case sendCall(LocalCallID, callID: UInt64)
        case sendCancel(callID: UInt64)
        case sendPong(opaque: UInt64)
        case finish(LocalCallID, CallOutcome)
        /// The pool must stop handing out this connection.
        case stopTakingCalls
        case close
    }

    /// A call waiting for the connection to open or for a free slot.
    private struct QueuedCall {
        var id: LocalCallID
        var callBytes: Int
    }

    /// `host:port`, for messages.
    let address: String
    private(set) var state: State = .connecting
    /// The token the latest Hello carried (or will carry, before the first one is sent).
    private(set) var helloToken: String?
    private(set) var maxFrameBytes = ProtocolLimits.defaultMaxFrameBytes
    private(set) var maxConcurrentCalls = ProtocolLimits.defaultMaxConcurrentCalls
    /// Hellos sent whose Welcome has not arrived.
    private var unansweredHellos = 0
    private var everWelcomed = false
    private var closeWhenIdle = false
    private var closeSent = false
    private var nextCallID: UInt64 = 1
    private var queued = CircularBuffer<QueuedCall>()
    private var inFlight: [UInt64: LocalCallID] = [:]
    private var callIDs: [LocalCallID: UInt64] = [:]

    init(address: String, token: String?) {
        self.address = address
        self.helloToken = token
    }

    /// Calls on the wire without a Result.
    var inFlightCount: Int { inFlight.count }
    /// Calls waiting to be sent.
    var queuedCount: Int { queued.count }

    // MARK: - Events from the transport

    /// TCP is connected and, with TLS, the handshake and ALPN check passed.
    mutating func transportReady() -> [Action] {
        guard state == .connecting else { return [] }
        return sayHello()
    }

    /// The channel closed. `cause` says why, when something went wrong.
    mutating func channelClosed(cause: String?) -> [Action] {
        guard state != .closed else { return [] }
        state = .closed
        var actions: [Action] = [.stopTakingCalls]
        let detail = cause.map { ": \($0)" } ?? ""
        for callID in inFlight.keys.sorted() {
            let id = inFlight[callID]!
            actions.append(.finish(id, .failed(PredictClientError(
                .unavailable, "connection to \(address) closed before the result\(detail)"))))
        }
        inFlight.removeAll()
        callIDs.removeAll()
        // Queued calls never reached the server. After a Welcome they may go to a new
        // connection; before one, the server could not be reached at all, which is the answer.
        let neverOpened = PredictClientError(.unavailable, cause.map { "cannot connect to \(address): \($0)" }
            ?? "connection to \(address) closed before the server's Welcome")
        while let call = queued.popFirst() {
            actions.append(.finish(call.id, everWelcomed ? .retry : .failed(neverOpened)))
        }
        return actions
    }

    // MARK: - Frames from the server

    mutating func receivedWelcome(maxFrameBytes: UInt32, maxConcurrentCalls: UInt32) -> [Action] {
        // Zero means "not advertised": keep the protocol's defaults.
        if maxFrameBytes > 0 { self.maxFrameBytes = Int(maxFrameBytes) }
        if maxConcurrentCalls > 0 { self.maxConcurrentCalls = Int(maxConcurrentCalls) }
        unansweredHellos = max(0, unansweredHellos - 1)
        guard state == .greeting || state == .open else { return [] }
        everWelcomed = true
        // With several Hellos outstanding, calls wait for the last one's Welcome so they run
        // under the newest token.
        guard unansweredHellos == 0 else { return [] }
        state = .open
        return dispatchQueued()
    }

    mutating func receivedResult(callID: UInt64, _ result: Predict_V1_Result) -> [Action] {
        // Unknown: the Result of a call this side already gave up on (cancelled, timed out).
        guard let id = inFlight.removeValue(forKey: callID) else { return [] }
        callIDs[id] = nil
        return [.finish(id, .result(result))] + afterCallLeft()
    }

    /// The server takes no more calls (rule 8): calls above `lastCallID` were never accepted
    /// and are retried elsewhere; the rest keep waiting for their Results here.
    mutating func receivedGoAway(lastCallID: UInt64, status: Predict_V1_Status) -> [Action] {
        guard state != .closed else { return [] }
        let wasGreeting = state == .greeting
        state = .goingAway
        closeWhenIdle = true
        var actions: [Action] = [.stopTakingCalls]
        for callID in inFlight.keys.sorted() where callID > lastCallID {
            let id = inFlight.removeValue(forKey: callID)!
            callIDs[id] = nil
            actions.append(.finish(id, .retry))
        }
        // Calls waiting for the Welcome of a Hello the server refused (e.g. UNAUTHENTICATED)
        // fail with the server's reason: another connection would be refused the same way.
        let refusal = wasGreeting && status.code != StatusCode.ok.rawValue
            ? PredictClientError(status: status) : nil
        while let call = queued.popFirst() {
            actions.append(.finish(call.id, refusal.map { .failed($0) } ?? .retry))
        }
        return actions + closeIfIdle()
    }

    mutating func receivedPing(opaque: UInt64) -> [Action] {
        state == .closed ? [] : [.sendPong(opaque: opaque)]
    }

    // MARK: - Events from callers

    /// A new call with the token the provider gave for it and its serialized size.
    mutating func submitCall(_ id: LocalCallID, token: String?, callBytes: Int) -> [Action] {
        if closeWhenIdle { return [.finish(id, .retry)] }
        switch state {
        case .goingAway, .closed:
            return [.finish(id, .retry)]
        case .connecting:
            // No Hello sent yet: the first one carries the newest token.
            helloToken = token
            queued.append(QueuedCall(id: id, callBytes: callBytes))
            return []
        case .greeting, .open:
            var actions: [Action] = []
            if token != helloToken {
                helloToken = token
                actions += sayHello()
            }
            queued.append(QueuedCall(id: id, callBytes: callBytes))
            return actions + dispatchQueued()
        }
    }

    /// The caller gave up on the call (task cancelled, deadline passed): a call on the wire gets
    /// a Cancel; a queued one is just dropped. Nothing if it already finished.
    mutating func abandonCall(_ id: LocalCallID, _ error: PredictClientError) -> [Action] {
        if let callID = callIDs.removeValue(forKey: id) {
            inFlight[callID] = nil
            return [.sendCancel(callID: callID), .finish(id, .failed(error))] + afterCallLeft()
        }
        if let index = queued.firstIndex(where: { $0.id == id }) {
            queued.remove(at: index)
            return [.finish(id, .failed(error))] + closeIfIdle()
        }
        return []
    }

    /// The client is closing: finish what was submitted, take nothing new, then close.
    mutating func closeGracefully() -> [Action] {
        guard state != .closed else { return [] }
        closeWhenIdle = true
        return [.stopTakingCalls] + closeIfIdle()
    }

    // MARK: - Internals

    private mutating func sayHello() -> [Action] {
        state = .greeting
        unansweredHellos += 1
        return [.sendHello(token: helloToken)]
    }

    /// Sends queued calls while slots are free.
    private mutating func dispatchQueued() -> [Action] {
        guard state == .open else { return [] }
        var actions: [Action] = []
        while inFlight.count < maxConcurrentCalls, let call = queued.popFirst() {
            let frameBytes = CallFrame.payloadBytes(callID: nextCallID, callBytes: call.callBytes)
            guard frameBytes <= maxFrameBytes else {
                actions.append(.finish(call.id, .failed(PredictClientError(
                    .resourceExhausted,
                    "the request is \(frameBytes) bytes but the server accepts frames of at most \(maxFrameBytes) bytes; send fewer rows per call"
                ))))
                continue
            }
            let callID = nextCallID
            nextCallID += 1
            inFlight[callID] = call.id
            callIDs[call.id] = callID
            actions.append(.sendCall(call.id, callID: callID))
        }
        return actions
    }

    private mutating func afterCallLeft() -> [Action] {
        dispatchQueued() + closeIfIdle()
    }

    private mutating func closeIfIdle() -> [Action] {
        guard closeWhenIdle, !closeSent, state != .closed, inFlight.isEmpty, queued.isEmpty else { return [] }
        closeSent = true
        if state != .goingAway {
            state = .goingAway
        }
        return [.close]
    }
}
