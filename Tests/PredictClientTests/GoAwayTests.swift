import NIOConcurrencyHelpers
import PredictClient
import PredictProtocol
import Testing

/// GoAway (PROTOCOL.md rule 8): calls the server accepted finish where they are; the others
/// move, invisibly, to a new connection.
@Suite struct GoAwayTests {
    @Test func callsAboveLastCallIDAreRetriedOnANewConnectionAndTheRestAnsweredOnTheOld() async throws {
        let server = try await FakeServer.start { frame, connection in
            switch frame.kind {
            case .hello:
                connection.send(.welcome())
            case .call where connection.index == 0:
                // Collect four calls, then drain: ids 1 and 2 accepted, 3 and 4 not.
                let calls = connection.calls
                guard calls.count == 4 else { return }
                connection.send(.goAway(lastCallID: 2))
                connection.send(calls.filter { $0.callID <= 2 }.map { .result(callID: $0.callID, FakeServer.echo($0.callMessage)) })
            case .call:
                connection.send(.result(callID: frame.callID, FakeServer.echo(frame.callMessage)))
            default:
                break
            }
        }
        let client = server.client(connectionCount: 1)
        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<4 {
                group.addTask { try await client.metadata(model: "m\(index)").name }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(names == ["m0", "m1", "m2", "m3"])

        let old = try await server.connection(0)
        let new = try await server.connection(1)
        let answeredOnOld = Set(old.calls.filter { $0.callID <= 2 }.map(\.metadataModel))
        let retried = Set(old.calls.filter { $0.callID > 2 }.map(\.metadataModel))
        #expect(Set(new.calls.map(\.metadataModel)) == retried)
        #expect(answeredOnOld.union(retried) == names)
        #expect(new.calls.map(\.callID) == [1, 2], "a new connection numbers its calls from 1")

        // New calls go to the new connection.
        #expect(try await client.live())
        #expect(new.calls.count == 3)
        #expect(old.calls.count == 4)
        await client.close()
        await server.stop()
    }

    @Test func callMadeAfterGoAwayGoesToANewConnection() async throws {
        let server = try await FakeServer.start { frame, connection in
            switch frame.kind {
            case .hello where connection.index == 0:
                connection.send([.welcome(), .goAway(lastCallID: 0)])
            case .hello:
                connection.send(.welcome())
            case .call:
                connection.send(.result(callID: frame.callID, FakeServer.echo(frame.callMessage)))
            default:
                break
            }
        }
        let client = server.client()
        #expect(try await client.live())
        #expect(try await server.connection(0).calls.count <= 1)
        #expect(try await server.connection(1).calls.count >= 1)
        await client.close()
        await server.stop()
    }

    @Test func unauthenticatedGoAwayAnsweringHelloFailsTheWaitingCalls() async throws {
        let server = try await FakeServer.start { frame, connection in
            if case .hello = frame.kind {
                connection.send(.goAway(lastCallID: 0, Predict_V1_Status(.unauthenticated, "token expired")))
                connection.close()
            }
        }
        let client = server.client(tokenProvider: { "expired.jwt.token" })
        let error = await caught { try await client.live() }
        #expect(error == PredictClientError(.unauthenticated, "token expired"))
        #expect(error?.message.contains("expired.jwt.token") == false)
        await client.close()
        await server.stop()
    }
}
