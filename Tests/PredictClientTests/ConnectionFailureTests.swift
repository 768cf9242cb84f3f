import NIOPosix
import PredictClient
import PredictProtocol
import Testing

/// Failing to reach a server is UNAVAILABLE, naming the address and the cause.
@Suite struct ConnectionFailureTests {
    @Test func refusedConnectionIsUnavailableNamingTheAddress() async throws {
        // A port that was just free: nothing listens there now.
        let server = try await FakeServer.start()
        let port = server.port
        await server.stop()

        let client = PredictClient(configuration: .init(host: "127.0.0.1", port: port, security: .plaintext))
        let error = await caught { try await client.live() }
        #expect(error?.code == .unavailable)
        #expect(error?.message == "cannot connect to 127.0.0.1:\(port): connection refused")
        await client.close()
    }

    @Test func unreadableCAFileIsInvalidArgumentNamingTheFile() async throws {
        let client = PredictClient(configuration: .init(
            host: "127.0.0.1", port: 1, security: .tls(trust: .certificateAuthority(pemFile: "/nonexistent/ca.pem"))))
        let error = await caught { try await client.live() }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("'/nonexistent/ca.pem'") == true)
        await client.close()
    }

    @Test func serverThatClosesBeforeWelcomeIsUnavailable() async throws {
        let server = try await FakeServer.start { _, connection in connection.close() }
        let client = server.client()
        let error = await caught { try await client.live() }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("127.0.0.1:\(server.port)") == true)
        await client.close()
        await server.stop()
    }
}
