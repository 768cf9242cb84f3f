import PredictProtocol
import Testing

@testable import PredictClient

/// The connection rules as pure values: no sockets, every action checked.
@Suite struct ClientConnectionStateMachineTests {
    typealias Machine = ClientConnectionStateMachine
    static let a = LocalCallID(value: 1)
    static let b = LocalCallID(value: 2)
    static let c = LocalCallID(value: 3)

    /// A machine past Hello and Welcome.
    static func open(token: String? = "t", maxConcurrentCalls: UInt32 = 1024, maxFrameBytes: UInt32 = 1 << 20) -> Machine {
        var machine = Machine(address: "host:1", token: token)
        _ = machine.transportReady()
        _ = machine.receivedWelcome(maxFrameBytes: maxFrameBytes, maxConcurrentCalls: maxConcurrentCalls)
        return machine
    }

    @Test func helloGoesFirstWithTheNewestTokenAndCallsWaitForWelcome() {
        var machine = Machine(address: "host:1", token: "old")
        #expect(machine.submitCall(Self.a, token: "new", callBytes: 10) == [])
        #expect(machine.transportReady() == [.sendHello(token: "new")])
        #expect(machine.state == .greeting)
        #expect(machine.receivedWelcome(maxFrameBytes: 100, maxConcurrentCalls: 10) == [.sendCall(Self.a, callID: 1)])
        #expect(machine.state == .open)
    }

    @Test func callIDsIncreaseFromOneAndAreNeverReused() {
        var machine = Self.open()
        #expect(machine.submitCall(Self.a, token: "t", callBytes: 1) == [.sendCall(Self.a, callID: 1)])
        #expect(machine.receivedResult(callID: 1, Predict_V1_Result()) == [.finish(Self.a, .result(Predict_V1_Result()))])
        #expect(machine.submitCall(Self.b, token: "t", callBytes: 1) == [.sendCall(Self.b, callID: 2)])
    }

    @Test func changedTokenSendsHelloAndHoldsCallsUntilItsWelcome() {
        var machine = Self.open(token: "t1")
        #expect(machine.submitCall(Self.a, token: "t2", callBytes: 1) == [.sendHello(token: "t2")])
        #expect(machine.submitCall(Self.b, token: "t2", callBytes: 1) == [])
        #expect(machine.receivedWelcome(maxFrameBytes: 0, maxConcurrentCalls: 0) == [
            .sendCall(Self.a, callID: 1), .sendCall(Self.b, callID: 2),
        ])
    }

    @Test func callsBeyondTheLimitWaitAndGoOutAsSlotsFree() {
        var machine = Self.open(maxConcurrentCalls: 1)
        #expect(machine.submitCall(Self.a, token: "t", callBytes: 1) == [.sendCall(Self.a, callID: 1)])
        #expect(machine.submitCall(Self.b, token: "t", callBytes: 1) == [])
        #expect(machine.queuedCount == 1)
        #expect(machine.receivedResult(callID: 1, Predict_V1_Result()) == [
            .finish(Self.a, .result(Predict_V1_Result())), .sendCall(Self.b, callID: 2),
        ])
    }

    @Test func callOverTheFrameLimitFailsWithResourceExhausted() {
        var machine = Self.open(maxFrameBytes: 50)
        let actions = machine.submitCall(Self.a, token: "t", callBytes: 60)
        guard case .finish(Self.a, .failed(let error)) = actions.first else {
            Issue.record("expected a failure, got \(actions)")
            return
        }
        #expect(error.code == .resourceExhausted)
        #expect(machine.inFlightCount == 0)
    }

    @Test func abandonedCallOnTheWireGetsCancelAndItsLateResultIsIgnored() {
        var machine = Self.open()
        _ = machine.submitCall(Self.a, token: "t", callBytes: 1)
        let error = PredictClientError.cancelled()
        #expect(machine.abandonCall(Self.a, error) == [.sendCancel(callID: 1), .finish(Self.a, .failed(error))])
        #expect(machine.receivedResult(callID: 1, Predict_V1_Result()) == [])
        #expect(machine.abandonCall(Self.a, error) == [], "finished once")
    }

    @Test func abandonedQueuedCallSendsNothing() {
        var machine = Machine(address: "host:1", token: nil)
        _ = machine.submitCall(Self.a, token: nil, callBytes: 1)
        let error = PredictClientError.deadlineExceeded(.seconds(1))
        #expect(machine.abandonCall(Self.a, error) == [.finish(Self.a, .failed(error))])
    }

    @Test func goAwayRetriesCallsAboveLastCallIDAndKeepsTheRest() {
        var machine = Self.open()
        for id in [Self.a, Self.b, Self.c] { _ = machine.submitCall(id, token: "t", callBytes: 1) }
        #expect(machine.receivedGoAway(lastCallID: 1, status: .ok) == [
            .stopTakingCalls, .finish(Self.b, .retry), .finish(Self.c, .retry),
        ])
        #expect(machine.submitCall(LocalCallID(value: 9), token: "t", callBytes: 1) == [.finish(LocalCallID(value: 9), .retry)])
        #expect(machine.receivedResult(callID: 1, Predict_V1_Result()) == [.finish(Self.a, .result(Predict_V1_Result())), .close])
    }

    @Test func refusedHelloFailsWaitingCallsWithTheServersStatus() {
        var machine = Machine(address: "host:1", token: "bad")
        _ = machine.submitCall(Self.a, token: "bad", callBytes: 1)
        _ = machine.transportReady()
        let status = Predict_V1_Status(.unauthenticated, "token expired")
        #expect(machine.receivedGoAway(lastCallID: 0, status: status) == [
            .stopTakingCalls, .finish(Self.a, .failed(PredictClientError(.unauthenticated, "token expired"))), .close,
        ])
    }

    @Test func closeFailsCallsOnTheWireAndRetriesQueuedOnesAfterWelcome() {
        var machine = Self.open(maxConcurrentCalls: 1)
        _ = machine.submitCall(Self.a, token: "t", callBytes: 1)
        _ = machine.submitCall(Self.b, token: "t", callBytes: 1)
        #expect(machine.channelClosed(cause: nil) == [
            .stopTakingCalls,
            .finish(Self.a, .failed(PredictClientError(.unavailable, "connection to host:1 closed before the result"))),
            .finish(Self.b, .retry),
        ])
        #expect(machine.state == .closed)
    }

    @Test func closeBeforeWelcomeFailsQueuedCallsWithTheCause() {
        var machine = Machine(address: "host:1", token: nil)
        _ = machine.submitCall(Self.a, token: nil, callBytes: 1)
        #expect(machine.channelClosed(cause: "TLS handshake failed: certificate verify failed") == [
            .stopTakingCalls,
            .finish(Self.a, .failed(PredictClientError(.unavailable, "cannot connect to host:1: TLS handshake failed: certificate verify failed"))),
        ])
    }

    @Test func gracefulCloseWaitsForCallsInFlight() {
        var machine = Self.open()
        _ = machine.submitCall(Self.a, token: "t", callBytes: 1)
        #expect(machine.closeGracefully() == [.stopTakingCalls])
        #expect(machine.submitCall(Self.b, token: "t", callBytes: 1) == [.finish(Self.b, .retry)])
        #expect(machine.receivedResult(callID: 1, Predict_V1_Result()) == [.finish(Self.a, .result(Predict_V1_Result())), .close])
    }

    @Test func pingIsAnsweredWithTheSameOpaque() {
        var machine = Self.open()
        #expect(machine.receivedPing(opaque: 7) == [.sendPong(opaque: 7)])
    }
}
