import Testing
@testable import PredictServer

/// Random event sequences against the machine's promises: every Call gets exactly one answer,
/// the limits hold, and nothing is sent after close.
@Suite struct ConnectionStateMachinePropertyTests {
    /// SplitMix64, so a failing sequence is reproducible from its seed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// What the test knows about one Call the client sent.
    enum Answer: Equatable {
        case pending(CallHandle)
        case answered
        case cancelledByClose
    }

    @Test func everyCallGetsExactlyOneResultAcrossRandomSequences() {
        for seed in UInt64(0)..<10_000 {
            if let failure = run(seed: seed) {
                Issue.record("seed \(seed): \(failure)")
                return
            }
        }
    }

    /// Runs one random sequence; returns a description of the first broken promise.
    func run(seed: UInt64) -> String? {
        var rng = SeededGenerator(state: seed)
        let limit = Int.random(in: 1...4, using: &rng)
        let configuration = ConnectionConfiguration(
            maxConcurrentCalls: limit,
            authenticationRequired: Bool.random(using: &rng),
            allowsUnauthenticatedHealthChecks: Bool.random(using: &rng)
        )
        var machine = ConnectionStateMachine(configuration: configuration)
        if Int.random(in: 0..<20, using: &rng) != 0 {
            _ = machine.receivedHello(credential: .verified(token: "t0"))
        }

        var calls: [Answer] = []                 // one entry per Call frame the machine accepted or refused
        var pendingByID: [UInt64: Int] = [:]     // call_id → index in `calls` while dispatched
        var runningWork: [CallHandle] = []       // dispatched work the server has not finished
        var closed = false
        var log: [String] = []

        for step in 0..<Int.random(in: 1...60, using: &rng) {
            let roll = Int.random(in: 0..<100, using: &rng)
            let callID = UInt64.random(in: 0...6, using: &rng) == 0 ? 0 : UInt64.random(in: 1...6, using: &rng)
            var event = ""
            var actions: [ConnectionAction]
            var isCallFrame = false
            var isCancelFrame = false
            switch roll {
            case 0..<35:
                isCallFrame = true
                let kind = CallKind.allCases.randomElement(using: &rng)!
                let token: String? = Bool.random(using: &rng) ? nil : "c\(step)"
                event = "call \(callID) \(kind)"
                actions = machine.receivedCall(callID: callID, kind: kind, token: token)
            case 35..<60:
                if runningWork.isEmpty || Int.random(in: 0..<10, using: &rng) == 0 {
                    let stray = CallHandle(callID: callID, sequence: UInt64.random(in: 0...40, using: &rng))
                    event = "finished stray \(stray)"
                    actions = machine.workFinished(stray)
                } else {
                    let handle = runningWork.remove(at: Int.random(in: 0..<runningWork.count, using: &rng))
                    event = "finished \(handle)"
                    actions = machine.workFinished(handle)
                }
            case 60..<72:
                isCancelFrame = true
                event = "cancel \(callID)"
                actions = machine.receivedCancel(callID: callID)
            case 72..<78:
                event = "ping"
                actions = machine.receivedPing(opaque: UInt64(step))
            case 78..<82:
                let credential: HelloCredential = [
                    .none, .verified(token: "t\(step)"), .rejected(reason: "expired"),
                ].randomElement(using: &rng)!
                event = "hello \(credential)"
                actions = machine.receivedHello(credential: credential)
            case 82..<86:
                event = "drain"
                actions = machine.startDrain()
            case 86..<91:
                event = "idle timer"
                actions = machine.idleTimerFired()
            case 91..<93:
                event = "read timeout"
                actions = machine.readTimeoutFired()
            case 93..<95:
                event = "invalid frame"
                actions = machine.receivedInvalidFrame(ConnectionStatus(.resourceExhausted, "too big"))
            case 95..<97:
                event = "peer closed"
                actions = machine.connectionClosed()
            default:
                event = "pong"
                actions = machine.receivedPong()
            }
            log.append("\(event) → \(actions)")
            let trace = { "\n" + log.joined(separator: "\n") }

            if closed {
                let allowed = actions.allSatisfy { if case .reportDroppedResult = $0 { true } else { false } }
                if !allowed { return "acted after close: \(actions)\(trace())" }
                continue
            }
            if let closeIndex = actions.firstIndex(of: .close), closeIndex != actions.count - 1 {
                return ".close is not last\(trace())"
            }

            // The Call frame itself, if this event was one, is answered at most once right here.
            var newCallIndex: Int?
            if isCallFrame && machine.state != .closed {
                calls.append(.answered)
                newCallIndex = calls.count - 1
            }
            var answeredNewCall = 0
            for action in actions {
                switch action {
                case .dispatch(let handle, _, _):
                    guard let index = newCallIndex, handle.callID != 0 else {
                        return "dispatch not caused by a Call\(trace())"
                    }
                    if pendingByID[handle.callID] != nil { return "dispatched an id in flight\(trace())" }
                    calls[index] = .pending(handle)
                    pendingByID[handle.callID] = index
                    runningWork.append(handle)
                    answeredNewCall += 1
                    if pendingByID.count > limit { return "more than \(limit) in flight\(trace())" }
                case .sendResult(let id, let status):
                    if isCallFrame {
                        answeredNewCall += 1
                    } else if isCancelFrame, status.code == .cancelled, let index = pendingByID.removeValue(forKey: id) {
                        calls[index] = .answered
                    } else {
                        return "unexpected Result for \(id)\(trace())"
                    }
                case .deliverResult(let handle):
                    guard let index = pendingByID[handle.callID], calls[index] == .pending(handle) else {
                        return "delivered a result for \(handle) not in flight\(trace())"
                    }
                    pendingByID[handle.callID] = nil
                    calls[index] = .answered
                case .cancelWork(let handle):
                    if let index = pendingByID[handle.callID], calls[index] == .pending(handle), !isCancelFrame {
                        // Cancelled because the connection is closing: no Result can follow.
                        pendingByID[handle.callID] = nil
                        calls[index] = .cancelledByClose
                    }
                case .close:
                    closed = true
                default:
                    break
                }
            }
            if newCallIndex != nil && answeredNewCall != 1 {
                return "Call answered \(answeredNewCall) times\(trace())"
            }
            if machine.state == .closed {
                closed = true
                if !pendingByID.isEmpty { return "closed with calls unanswered and not cancelled\(trace())" }
            }
        }

        // Let all outstanding work finish; the remaining calls must then all be answered.
        for handle in runningWork where !closed {
            for action in machine.workFinished(handle) {
                if case .deliverResult(let delivered) = action, let index = pendingByID.removeValue(forKey: delivered.callID) {
                    calls[index] = .answered
                }
                if action == .close { closed = true }
            }
        }
        if !pendingByID.isEmpty {
            return "calls never answered: \(pendingByID.keys.sorted())\n" + log.joined(separator: "\n")
        }
        if machine.state == .draining {
            return "still draining with no calls in flight"
        }
        return nil
    }
}
