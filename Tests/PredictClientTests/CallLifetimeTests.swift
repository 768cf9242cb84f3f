import NIOConcurrencyHelpers
import PredictClient
import PredictProtocol
import Testing

/// How a call ends when no Result comes: deadline, task cancellation, closed connection, and
/// the client's own close.
@Suite struct CallLifetimeTests {
    /// Welcome for Hello; Calls are recorded and never answered.
    static let silent: FakeServer.Script = { frame, connection in
        if case .hello = frame.kind { connection.send(.welcome()) }
    }

    /// As ``silent``, but `server_live` is answered: a test opens the connection with it first,
    /// so a short deadline is not spent connecting.
    static let answersLiveOnly: FakeServer.Script = { frame, connection in
        switch frame.kind {
        case .hello:
            connection.send(.welcome())
        case .call(let call):
            if case .serverLive = call.request { connection.send(.result(callID: frame.callID, FakeServer.echo(call))) }
        default:
            break
        }
    }

    @Test func passedDeadlineFailsWithDeadlineExceededAndSendsCancel() async throws {
        let server = try await FakeServer.start(script: Self.answersLiveOnly)
        let client = server.client()
        #expect(try await client.live())
        let clock = ContinuousClock()
        let started = clock.now
        let error = await caught { try await client.ready(timeout: .milliseconds(150)) }
        let elapsed = clock.now - started
        #expect(error?.code == .deadlineExceeded)
        #expect(elapsed >= .milliseconds(150))
        #expect(elapsed < .seconds(10))

        let connection = try await server.connection(0)
        try await eventually("the ready call reached the server") { connection.calls.count >= 2 }
        let call = connection.calls[1]
        #expect((1...150).contains(call.callMessage.timeoutMs), "timeout_ms carries the deadline: \(call.callMessage.timeoutMs)")
        try await eventually("Cancel") { connection.cancels.map(\.callID) == [call.callID] }
        await client.close()
        await server.stop()
    }

    @Test func defaultTimeoutAppliesWhenTheCallNamesNone() async throws {
        let server = try await FakeServer.start(script: Self.answersLiveOnly)
        let client = server.client(timeout: .milliseconds(100))
        #expect(try await client.live(timeout: .seconds(30)))
        #expect(await caught { try await client.ready() }?.code == .deadlineExceeded)
        await client.close()
        await server.stop()
    }

    @Test func taskCancellationSendsCancelAndThrowsCancelledAtOnce() async throws {
        let server = try await FakeServer.start(script: Self.silent)
        let client = server.client(timeout: .seconds(30))
        let task = Task { await caught { try await client.live() } }
        let connection = try await server.connection(0)
        try await eventually("the Call") { connection.calls.count == 1 }

        let clock = ContinuousClock()
        let cancelledAt = clock.now
        task.cancel()
        let error = await task.value
        #expect(error?.code == .cancelled)
        #expect(clock.now - cancelledAt < .seconds(10), "cancellation does not wait for the server (30 s timeout)")
        let callID = try #require(connection.calls.first?.callID)
        try await eventually("Cancel") { connection.cancels.map(\.callID) == [callID] }

        // The server's late answer to the cancelled call is ignored; the connection goes on.
        connection.send(.result(callID: callID, .failure(.cancelled, "cancelled by the client")))
        let next = Task { try await client.live() }
        try await eventually("the next Call") { connection.calls.count == 2 }
        let nextCall = connection.calls[1]
        #expect(nextCall.callID == callID + 1)
        connection.send(.result(callID: nextCall.callID, FakeServer.echo(nextCall.callMessage)))
        #expect(try await next.value)
        await client.close()
        await server.stop()
    }

    @Test func connectionClosedWithCallsPendingFailsThemAsUnavailableWithoutRetry() async throws {
        let server = try await FakeServer.start { frame, connection in
            switch frame.kind {
            case .hello: connection.send(.welcome())
            case .call where connection.calls.count == 2: connection.close()
            default: break
            }
        }
        let client = server.client()
        async let first = caught { try await client.live() }
        async let second = caught { try await client.ready() }
        let errors = await [first, second]
        for error in errors {
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("closed before the result") == true, "\(String(describing: error))")
        }
        // Not retried: the server may have run them.
        try await Task.sleep(for: .milliseconds(100))
        #expect(server.acceptedConnections.count == 1)

        // The next call opens a new connection.
        let next = Task { await caught { try await client.live() } }
        let second2 = try await server.connection(1)
        try await eventually("a Call on the new connection") { second2.calls.count == 1 }
        let call = second2.calls[0]
        second2.send(.result(callID: call.callID, FakeServer.echo(call.callMessage)))
        #expect(await next.value == nil)
        await client.close()
        await server.stop()
    }

    @Test func closeWaitsForCallsInFlightThenRefusesNewOnes() async throws {
        let server = try await FakeServer.start(script: Self.silent)
        let client = server.client()
        let call = Task { try await client.live() }
        let connection = try await server.connection(0)
        try await eventually("the Call") { connection.calls.count == 1 }

        let closed = NIOLockedValueBox(false)
        let closing = Task {
            await client.close()
            closed.withLockedValue { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(!closed.withLockedValue { $0 }, "close waits for the call in flight")
        let frame = connection.calls[0]
        connection.send(.result(callID: frame.callID, FakeServer.echo(frame.callMessage)))
        #expect(try await call.value)
        await closing.value
        try await eventually("the connection closed") { connection.isClosed }

        let error = await caught { try await client.live() }
        #expect(error?.code == .unavailable)
        #expect(error?.message == "the client is closed")
        await server.stop()
    }
}
