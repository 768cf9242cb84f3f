import Foundation
import PredictProtocol
import PredictServer
import Testing

/// Calls in flight: duplicate ids, the per-connection limit, Cancel, deadlines and drain, held
/// open by a model whose batches wait at a gate.
@Suite("Calls in flight over TLS")
struct CallRuleTests {
    static func inferX(_ id: UInt64, _ x: Float, timeoutMs: UInt32 = 0) -> Predict_V1_Frame {
        .infer(id, model: "gated", input: "x", rows: [[x]], timeoutMs: timeoutMs)
    }

    /// Waits until the gated model holds `count` batches.
    static func waitForArrivals(_ model: GatedModel, _ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while model.arrivals.load(ordering: .relaxed) < count {
            guard ContinuousClock.now < deadline else { throw TestFailure("the model never received batch \(count)") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    @Test func aCallReusingAnInFlightIDGetsInvalidArgumentAndTheFirstIsUnaffected() async throws {
        let model = GatedModel(closed: true)
        try await withTestServer(versions: model.served) { server in
            let connection = try await RawConnection.open(port: server.port)
            try await connection.send(Self.inferX(5, 1))
            try await Self.waitForArrivals(model, 1)
            try await connection.send(Self.inferX(5, 2))
            let refusal = try #require(try await connection.nextFrame())
            #expect(refusal.callID == 5)
            #expect(refusal.result.status.statusCode == .invalidArgument)
            #expect(refusal.result.status.message.contains("already in flight"))
            model.open()
            let first = try #require(try await connection.nextFrame())
            #expect(first.callID == 5)
            #expect(first.result.status.statusCode == .ok)
            #expect(first.result.modelInfer.outputs[0].contents.fp32Contents == [2])
        }
    }

    @Test func callsBeyondMaxConcurrentCallsGetResourceExhaustedAndTheConnectionStays() async throws {
        let model = GatedModel(closed: true)
        try await withTestServer(versions: model.served, configure: { $0.limits.maxConcurrentCalls = 2 }) { server in
            let connection = try await RawConnection.open(port: server.port)
            try await connection.send(Self.inferX(1, 1))
            try await connection.send(Self.inferX(2, 2))
            try await connection.send(Self.inferX(3, 3))
            let refusal = try #require(try await connection.nextFrame())
            #expect(refusal.callID == 3)
            #expect(refusal.result.status.statusCode == .resourceExhausted)
            model.open()
            let results = try await connection.results(2)
            #expect(results[1]?.modelInfer.outputs[0].contents.fp32Contents == [2])
            #expect(results[2]?.modelInfer.outputs[0].contents.fp32Contents == [3])
            try await connection.send(Self.inferX(3, 3))
            #expect(try await connection.results(1)[3]?.status.statusCode == .ok)
        }
    }

    @Test func cancelAnswersCancelledAndTheLateResultIsNeverSent() async throws {
        let model = GatedModel(closed: true)
        try await withTestServer(versions: model.served) { server in
            let connection = try await RawConnection.open(port: server.port)
            try await connection.send(Self.inferX(1, 1))  // holds the worker
            try await Self.waitForArrivals(model, 1)
            try await connection.send(Self.inferX(2, 2))  // queued behind it
            try await connection.send(.cancel(2))
            let cancelled = try #require(try await connection.nextFrame())
            #expect(cancelled.callID == 2)
            #expect(cancelled.result.status.statusCode == .cancelled)
            try await connection.send(.cancel(1))  // running: answered CANCELLED, result dropped
            #expect(try await connection.nextFrame()?.result.status.statusCode == .cancelled)
            model.open()
            // The id is free again: a new call 1 gets its own answer, not the stale one.
            try await connection.send(Self.inferX(1, 10))
            let fresh = try #require(try await connection.nextFrame())
            #expect(fresh.callID == 1)
            #expect(fresh.result.modelInfer.outputs[0].contents.fp32Contents == [11])
        }
    }

    @Test func aCallPastItsDeadlineGetsDeadlineExceeded() async throws {
        let model = GatedModel(closed: true)
        try await withTestServer(versions: model.served) { server in
            let connection = try await RawConnection.open(port: server.port)
            let start = ContinuousClock.now
            try await connection.send(Self.inferX(1, 1, timeoutMs: 150))
            let frame = try #require(try await connection.nextFrame())
            #expect(ContinuousClock.now - start >= .milliseconds(140))
            #expect(frame.callID == 1)
            #expect(frame.result.status.statusCode == .deadlineExceeded)
            model.open()
            try await connection.send(Self.inferX(2, 2))
            #expect(try await connection.nextFrame()?.result.status.statusCode == .ok)
        }
    }

    @Test func drainSendsGoAwayFinishesAcceptedCallsAndRefusesNewOnes() async throws {
        let model = GatedModel(closed: true)
        let server = try await TestServer.start(versions: model.served)
        let connection = try await RawConnection.open(port: server.port)
        try await connection.send(Self.inferX(7, 1))
        try await Self.waitForArrivals(model, 1)
        let draining = Task { await server.stop() }

        let goAway = try #require(try await connection.nextFrame())
        #expect(goAway.goAway.status.statusCode == .ok)
        #expect(goAway.goAway.lastCallID == 7)
        try await connection.send(Self.inferX(8, 2))
        let refused = try #require(try await connection.nextFrame())
        #expect(refused.callID == 8)
        #expect(refused.result.status.statusCode == .unavailable)
        model.open()
        let finished = try await connection.framesUntilClosed()
        #expect(finished.count == 1)
        #expect(finished.first?.callID == 7)
        #expect(finished.first?.result.modelInfer.outputs[0].contents.fp32Contents == [2])
        await draining.value
    }

    @Test func drainAnswersCallsThatOutlastTheDrainTimeoutUnavailableAndCloses() async throws {
        let model = GatedModel(closed: true)
        let server = try await TestServer.start(versions: model.served, configure: { $0.drainTimeout = .milliseconds(200) })
        let connection = try await RawConnection.open(port: server.port)
        try await connection.send(Self.inferX(1, 1))
        try await Self.waitForArrivals(model, 1)
        let start = ContinuousClock.now
        let draining = Task { await server.server.shutdown() }
        let frames = try await connection.framesUntilClosed()
        #expect(frames.count == 2, "GoAway, then the cut-off call's Result: \(frames)")
        #expect(frames.first?.goAway.status.statusCode == .ok)
        let cutOff = frames.last
        #expect(cutOff?.callID == 1)
        #expect(cutOff?.result.status.statusCode == .unavailable)
        #expect(cutOff?.result.status.message.contains("drain timeout") == true)
        #expect(ContinuousClock.now - start < .seconds(5))
        await draining.value
        model.open()
        server.service.shutdown()
    }
}
