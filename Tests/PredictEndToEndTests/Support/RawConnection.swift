import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PredictProtocol

/// A connection that speaks bytes and frames exactly as a test says, without the client
/// library's rules, to break PROTOCOL.md on purpose and read what the server answers.
final class RawConnection: Sendable {
    enum Event: Sendable {
        case frame(Predict_V1_Frame)
        case closed
    }

    let channel: any Channel
    /// Socket reads (TLS records, for TLS) that brought frames, to see write coalescing.
    let reads: NIOLockedValueBox<Int>
    private let events: NIOLockedValueBox<[Event]>
    private let group: MultiThreadedEventLoopGroup

    /// Connects to 127.0.0.1:`port`. With `tls`, trusts the dev CA and offers `alpn`.
    static func connect(
        port: Int, tls: Bool = true, alpn: [String] = [WireProtocol.alpnProtocol]
    ) async throws -> RawConnection {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let events = NIOLockedValueBox<[Event]>([])
        let reads = NIOLockedValueBox(0)
        let sslContext: NIOSSLContext? = try tls ? {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.trustRoots = .file(TestServer.credentials.caCertificate.path)
            configuration.applicationProtocols = alpn
            return try NIOSSLContext(configuration: configuration)
        }() : nil
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let sslContext {
                        try pipeline.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: "localhost"))
                    }
                    try pipeline.addHandler(ReadCounter(reads: reads))
                    try pipeline.addHandler(ByteToMessageHandler(FrameDecoder(maxFrameBytes: 64 << 20)))
                    try pipeline.addHandler(FrameCollector(events: events))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, reads: reads, events: events, group: group)
    }

    private init(channel: any Channel, reads: NIOLockedValueBox<Int>, events: NIOLockedValueBox<[Event]>, group: MultiThreadedEventLoopGroup) {
        self.channel = channel
        self.reads = reads
        self.events = events
        self.group = group
    }

    deinit { try? group.syncShutdownGracefully() }

    /// Connects and completes Hello/Welcome.
    static func open(port: Int) async throws -> RawConnection {
        let connection = try await connect(port: port)
        try await connection.send(.hello())
        guard case .welcome = try await connection.nextFrame()?.kind else { throw TestFailure("no Welcome") }
        return connection
    }

    func send(_ frame: Predict_V1_Frame) async throws {
        try await channel.writeAndFlush(ByteBuffer(frame: frame))
    }

    func send(bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// The next frame, or nil when the connection closed first. Throws after `timeout`.
    func nextFrame(timeout: Duration = .seconds(10)) async throws -> Predict_V1_Frame? {
        switch try await nextEvent(timeout: timeout) {
        case .frame(let frame): return frame
        case .closed: return nil
        }
    }

    /// The next event; a close stays visible to later calls.
    func nextEvent(timeout: Duration = .seconds(10)) async throws -> Event {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let event: Event? = events.withLockedValue { events in
                guard let first = events.first else { return nil }
                if case .frame = first { events.removeFirst() }
                return first
            }
            if let event { return event }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw TestFailure("no frame or close within \(timeout)")
    }

    /// Waits for the server to close the connection; the frames before it are returned.
    func framesUntilClosed(timeout: Duration = .seconds(10)) async throws -> [Predict_V1_Frame] {
        var frames: [Predict_V1_Frame] = []
        while let frame = try await nextFrame(timeout: timeout) { frames.append(frame) }
        return frames
    }

    /// Results by call id, until `count` arrived.
    func results(_ count: Int, timeout: Duration = .seconds(10)) async throws -> [UInt64: Predict_V1_Result] {
        var results: [UInt64: Predict_V1_Result] = [:]
        while results.count < count {
            guard let frame = try await nextFrame(timeout: timeout) else { throw TestFailure("closed after \(results.count) results") }
            guard case .result(let result) = frame.kind else { throw TestFailure("expected a Result, got \(frame)") }
            results[frame.callID] = result
        }
        return results
    }

    func close() async { try? await channel.close() }
}

private final class ReadCounter: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let reads: NIOLockedValueBox<Int>

    init(reads: NIOLockedValueBox<Int>) { self.reads = reads }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reads.withLockedValue { $0 += 1 }
        context.fireChannelRead(data)
    }
}

private final class FrameCollector: ChannelInboundHandler, Sendable {
    typealias InboundIn = Predict_V1_Frame
    let events: NIOLockedValueBox<[RawConnection.Event]>

    init(events: NIOLockedValueBox<[RawConnection.Event]>) { self.events = events }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        events.withLockedValue { $0.append(.frame(frame)) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        events.withLockedValue { $0.append(.closed) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
