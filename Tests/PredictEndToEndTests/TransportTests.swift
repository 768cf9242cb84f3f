import Foundation
import NIOCore
import NIOPosix
import PredictProtocol
@testable import PredictServer
import Testing

/// TLS, ALPN and the plaintext rules of PROTOCOL.md's Transport section.
@Suite("Transport")
struct TransportTests {
    /// Connects over plain TCP, sends `bytes`, and returns what came back before the server
    /// closed the connection.
    static func plainExchange(port: Int, _ bytes: [UInt8]) async throws -> [UInt8] {
        let socket = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        return try await socket.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: bytes))
            var received: [UInt8] = []
            for try await chunk in inbound { received += chunk.readableBytesView }
            return received
        }
    }

    @Test func plaintextProtocolBytesOnTheTLSPortAreRefusedAndTheServerGoesOn() async throws {
        try await withTestServer { server in
            var hello = ByteBuffer()
            try hello.writeFrame(.hello())
            let answer = try await Self.plainExchange(port: server.port, Array(hello.readableBytesView))
            // At most a TLS alert record (type 21); never a predict frame.
            #expect(answer.isEmpty || answer.first == 21, "\(answer.prefix(16))")
            try await ProtocolRuleTests.expectStillServing(server)
        }
    }

    @Test func httpOnTheTLSPortIsRefusedAndTheServerGoesOn() async throws {
        try await withTestServer { server in
            let answer = try await Self.plainExchange(port: server.port, Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
            #expect(answer.isEmpty || answer.first == 21, "\(answer.prefix(16))")
            #expect(!String(decoding: answer, as: UTF8.self).contains("HTTP/"))
            try await ProtocolRuleTests.expectStillServing(server)
        }
    }

    @Test func aClientOfferingOtherALPNProtocolsIsRefusedInTheHandshake() async throws {
        try await withTestServer { server in
            await #expect(throws: (any Error).self) {
                let connection = try await RawConnection.connect(port: server.port, alpn: ["h2", "http/1.1"])
                // If the TCP connect won the race with the alert, the first exchange fails.
                try await connection.send(.hello())
                guard case .frame = try await connection.nextEvent() else { throw TestFailure("closed") }
            }
            try await ProtocolRuleTests.expectStillServing(server)
        }
    }

    @Test func aClientOfferingPredictAmongOthersIsServed() async throws {
        try await withTestServer { server in
            let connection = try await RawConnection.connect(port: server.port, alpn: ["h2", WireProtocol.alpnProtocol])
            try await connection.send(.hello())
            #expect(try await connection.nextFrame()?.isWelcome == true)
        }
    }

    @Test func aClientWithoutALPNIsServed() async throws {
        try await withTestServer { server in
            let connection = try await RawConnection.connect(port: server.port, alpn: [])
            try await connection.send(.hello())
            #expect(try await connection.nextFrame()?.isWelcome == true)
        }
    }

    @Test func anInsecureServerServesPlaintextOnLoopback() async throws {
        try await withTestServer(insecure: true) { server in
            let connection = try await RawConnection.connect(port: server.port, tls: false)
            try await connection.send(.hello())
            #expect(try await connection.nextFrame()?.isWelcome == true)
        }
    }

    @Test(arguments: ["0.0.0.0", "::", "192.0.2.7", "example.com"])
    func anInsecureServerRefusesToBindBeyondLoopback(host: String) async throws {
        #expect(throws: ServerStartupError.self) { try PredictServer.requireLoopback(host) }
    }

    @Test(arguments: ["127.0.0.1", "127.5.5.5", "::1", "localhost"])
    func loopbackAddressesAreAllowedForInsecureServers(host: String) throws {
        try PredictServer.requireLoopback(host)
    }

    @Test func aMissingCertificateFileIsAStartupErrorNamingIt() async throws {
        let error = await #expect(throws: ServerStartupError.self) {
            try await TestServer.start(configure: {
                $0.transport = .tls(certificateChainFile: "/nonexistent/cert.pem", privateKeyFile: TestServer.credentials.serverKey.path)
            })
        }
        #expect(error?.message.contains("/nonexistent/cert.pem") == true)
    }

    @Test func aKeyThatDoesNotMatchTheCertificateIsAStartupError() async throws {
        let error = await #expect(throws: ServerStartupError.self) {
            try await TestServer.start(configure: {
                $0.transport = .tls(certificateChainFile: TestServer.credentials.serverCertificate.path, privateKeyFile: TestServer.credentials.caKey.path)
            })
        }
        #expect(error?.message.contains("cannot be used together") == true)
        #expect(error?.message.contains("PRIVATE KEY") == false)
    }
}
