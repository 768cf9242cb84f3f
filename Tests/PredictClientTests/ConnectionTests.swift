import NIOConcurrencyHelpers
import PredictClient
import PredictProtocol
import Testing

/// The client against a scripted server: Hello, multiplexing, slots, frame limits, Ping.
@Suite struct ConnectionTests {
    @Test func helloComesFirstWithTheTokenAndUserAgent() async throws {
        let server = try await FakeServer.start()
        let client = server.client(tokenProvider: { "header.payload.signature" })
        #expect(try await client.live())
        await client.close()

        let frames = try await server.connection(0).frames
        let hello = try #require(frames.first?.kind.flatMap { if case .hello(let hello) = $0 { hello } else { nil } })
        #expect(frames.first?.callID == 0)
        #expect(hello.protocolVersion == 1)
        #expect(hello.authorization == "Bearer header.payload.signature")
        #expect(hello.userAgent == "predict-client-tests/1")
        #expect(frames.dropFirst().first?.callID == 1)
        await server.stop()
    }

    @Test func helloWithoutATokenHasNoAuthorization() async throws {
        let server = try await FakeServer.start()
        let client = server.client()
        #expect(try await client.live())
        await client.close()
        #expect(try await server.connection(0).hellos.map(\.authorization) == [""])
        await server.stop()
    }

    @Test func thousandConcurrentCallsOnOneConnectionEachGetTheirOwnAnswer() async throws {
        let count = 1000
        // Holds every Call until all have arrived, then answers them last to first.
        let held = NIOLockedValueBox<[Predict_V1_Frame]>([])
        let server = try await FakeServer.start { frame, connection in
            switch frame.kind {
            case .hello:
                connection.send(.welcome())
            case .call:
                let all = held.withLockedValue { held -> [Predict_V1_Frame]? in
                    held.append(frame)
                    return held.count == count ? held : nil
                }
                guard let all else { return }
                connection.send(all.reversed().map { .result(callID: $0.callID, FakeServer.echo($0.callMessage)) })
            default:
                break
            }
        }
        let client = server.client(connectionCount: 1, timeout: .seconds(20))
        let answers = try await withThrowingTaskGroup(of: (String, String).self) { group in
            for index in 0..<count {
                group.addTask {
                    let model = "model-\(index)"
                    return (model, try await client.metadata(model: model).name)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        await client.close()

        #expect(answers.count == count)
        #expect(answers.allSatisfy { $0.0 == $0.1 })
        #expect(server.acceptedConnections.count == 1)
        let connection = try await server.connection(0)
        let ids = connection.calls.map(\.callID)
        #expect(Set(ids).count == count)
        #expect(ids == Array(1...UInt64(count)), "call ids increase from 1 in the order calls are written")
        // Flushes are coalesced: far fewer socket reads than frames. Loose bound, so a busy
        // machine cannot make it flaky; one write per call would be ~1,000 reads.
        #expect(connection.reads < count / 4, "\(connection.reads) reads for \(count) calls")
        await server.stop()
    }

    @Test func callsBeyondMaxConcurrentCallsWaitLocallyForASlot() async throws {
        let waiting = NIOLockedValueBox<[Predict_V1_Frame]>([])
        let server = try await FakeServer.start { frame, connection in
            switch frame.kind {
            case .hello: connection.send(.welcome(maxConcurrentCalls: 2))
            case .call: waiting.withLockedValue { $0.append(frame) }
            default: break
            }
        }
        let client = server.client()
        let calls = Task {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<5 { group.addTask { try await client.live() } }
                return try await group.reduce(into: 0) { count, live in if live { count += 1 } }
            }
        }
        let connection = try await server.connection(0)
        var answered = 0
        while answered < 5 {
            try await eventually("a call to answer") { !waiting.withLockedValue(\.isEmpty) }
            // Give the client time to overrun the limit, if it would.
            try await Task.sleep(for: .milliseconds(20))
            let inFlight = connection.calls.count - answered
            #expect(inFlight <= 2, "\(inFlight) calls in flight with max_concurrent_calls 2")
            let frame = waiting.withLockedValue { $0.removeFirst() }
            connection.send(.result(callID: frame.callID, FakeServer.echo(frame.callMessage)))
            answered += 1
        }
        #expect(try await calls.value == 5)
        #expect(connection.calls.count == 5)
        await client.close()
        await server.stop()
    }

    @Test func requestOverTheServersFrameLimitFailsLocally() async throws {
        let server = try await FakeServer.start(script: FakeServer.standard(maxFrameBytes: 64))
        let client = server.client()
        #expect(try await client.live(), "a small call still fits")
        let error = await caught { try await client.metadata(model: String(repeating: "m", count: 200)) }
        #expect(error?.code == .resourceExhausted)
        #expect(error?.message.contains("at most 64 bytes") == true)
        #expect(try await server.connection(0).calls.count == 1, "the large call never reached the server")
        await client.close()
        await server.stop()
    }

    @Test func serverPingIsAnsweredWithPong() async throws {
        let server = try await FakeServer.start { frame, connection in
            if case .hello = frame.kind {
                connection.send([.welcome(), .ping(opaque: 42)])
            } else if case .call = frame.kind {
                connection.send(.result(callID: frame.callID, FakeServer.echo(frame.callMessage)))
            }
        }
        let client = server.client()
        #expect(try await client.live())
        let connection = try await server.connection(0)
        try await eventually("Pong") {
            connection.frames.contains { if case .pong(let pong) = $0.kind { pong.opaque == 42 } else { false } }
        }
        await client.close()
        await server.stop()
    }

    @Test func serverErrorStatusIsThrownWithItsCodeAndMessage() async throws {
        let server = try await FakeServer.start(script: FakeServer.standard { _ in .failure(.notFound, "unknown model 'x'") })
        let client = server.client()
        let error = await caught { try await client.metadata(model: "x") }
        #expect(error == PredictClientError(.notFound, "unknown model 'x'"))
        #expect(error?.description == "NOT_FOUND: unknown model 'x'")
        await client.close()
        await server.stop()
    }
}
