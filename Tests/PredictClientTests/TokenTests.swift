import NIOConcurrencyHelpers
import PredictClient
import PredictProtocol
import Testing

/// The token provider is asked before every call; a changed token is presented with a new
/// Hello before the call (PROTOCOL.md rule 2).
@Suite struct TokenTests {
    @Test func changedTokenSendsASecondHelloBeforeTheCall() async throws {
        let server = try await FakeServer.start()
        let tokens = NIOLockedValueBox(["first.jwt.a", "second.jwt.b", "second.jwt.b"])
        let client = server.client(tokenProvider: { tokens.withLockedValue { $0.removeFirst() } })
        #expect(try await client.live())
        #expect(try await client.live())
        #expect(try await client.live())
        await client.close()

        let kinds = try await server.connection(0).frames.map { frame -> String in
            switch frame.kind {
            case .hello(let hello): "hello \(hello.authorization)"
            case .call: "call \(frame.callID)"
            default: "other"
            }
        }
        #expect(kinds == [
            "hello Bearer first.jwt.a", "call 1",
            "hello Bearer second.jwt.b", "call 2",
            "call 3",
        ])
        #expect(server.acceptedConnections.count == 1)
    }

    @Test func callsWaitForTheWelcomeOfTheNewHello() async throws {
        // The second Hello's Welcome is held back; the call must not go out before it.
        let welcomes = NIOLockedValueBox(0)
        let held = NIOLockedValueBox<FakeConnection?>(nil)
        let server = try await FakeServer.start { frame, connection in
            switch frame.kind {
            case .hello:
                let count = welcomes.withLockedValue { $0 += 1; return $0 }
                if count == 1 { connection.send(.welcome()) } else { held.withLockedValue { $0 = connection } }
            case .call:
                connection.send(.result(callID: frame.callID, FakeServer.echo(frame.callMessage)))
            default:
                break
            }
        }
        let tokens = NIOLockedValueBox(["a.b.one", "a.b.two"])
        let client = server.client(tokenProvider: { tokens.withLockedValue { $0.removeFirst() } })
        #expect(try await client.live())
        let second = Task { try await client.live() }
        try await eventually("the second Hello") { held.withLockedValue { $0 != nil } }
        try await Task.sleep(for: .milliseconds(50))
        let connection = try await server.connection(0)
        #expect(connection.calls.count == 1, "the call waits for the Welcome")
        connection.send(.welcome())
        #expect(try await second.value)
        #expect(connection.calls.count == 2)
        await client.close()
        await server.stop()
    }

    @Test func failingTokenProviderIsUnauthenticatedAndSendsNothing() async throws {
        struct VaultDown: Error {}
        let server = try await FakeServer.start()
        let client = server.client(tokenProvider: { throw VaultDown() })
        let error = await caught { try await client.live() }
        #expect(error?.code == .unauthenticated)
        #expect(error?.message.hasPrefix("the token provider failed") == true)
        #expect(server.acceptedConnections.isEmpty)
        await client.close()
        await server.stop()
    }
}
