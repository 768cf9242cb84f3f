import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PredictClient
import PredictProtocol

/// A predict server whose every answer a test scripts: plaintext on 127.0.0.1, an ephemeral
/// port, the real frame codec. It records each frame clients send, per connection, and how many
/// socket reads carried them.
///
/// The script sees every decoded frame with the connection it came on and answers (or not)
/// through ``FakeConnection``. ``FakeServer/standard`` answers Hello with Welcome and each Call
/// with an OK Result.
final class FakeServer: Sendable {
    typealias Script = @Sendable (_ frame: Predict_V1_Frame, _ connection: FakeConnection) -> Void

    let port: Int
    private let channel: any Channel
    private let connectionsBox: NIOLockedValueBox<[FakeConnection]>

    /// Starts listening. `script` decides every answer.
    static func start(script: @escaping Script = FakeServer.standard()) async throws -> FakeServer {
        let connections = NIOLockedValueBox<[FakeConnection]>([])
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let connection = connections.withLockedValue { list in
                    let connection = FakeConnection(index: list.count, channel: channel)
                    list.append(connection)
                    return connection
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FakeConnectionHandler(connection: connection, script: script))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return FakeServer(channel: channel, connections: connections)
    }

    private init(channel: any Channel, connections: NIOLockedValueBox<[FakeConnection]>) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.connectionsBox = connections
    }

    /// The connections accepted so far, in order.
    var acceptedConnections: [FakeConnection] {
        connectionsBox.withLockedValue { $0 }
    }

    /// Connection `index`, waiting for it to be accepted.
    func connection(_ index: Int) async throws -> FakeConnection {
        try await eventually("connection \(index) accepted") { self.acceptedConnections.count > index }
        return acceptedConnections[index]
    }

    /// Stops listening and closes every connection.
    func stop() async {
        try? await channel.close()
        for connection in acceptedConnections {
            connection.close()
        }
    }

    /// A plaintext client of this server.
    func client(
        connectionCount: Int = 1,
        timeout: Duration? = .seconds(30),
        tokenProvider: (@Sendable () async throws -> String?)? = nil
    ) -> PredictClient {
        PredictClient(configuration: .init(
            host: "127.0.0.1",
            port: port,
            security: .plaintext,
            tokenProvider: tokenProvider,
            connectionCount: connectionCount,
            defaultTimeout: timeout,
            userAgent: "predict-client-tests/1"
        ))
    }

    // MARK: - Scripts

    /// Welcome for every Hello (with these limits), and `answer(call)` for every Call: by
    /// default an OK Result that echoes what a real server would say about the request.
    static func standard(
        maxFrameBytes: UInt32 = 4 * 1024 * 1024,
        maxConcurrentCalls: UInt32 = 1024,
        answer: @escaping @Sendable (Predict_V1_Call) -> Predict_V1_Result = FakeServer.echo
    ) -> Script {
        { frame, connection in
            switch frame.kind {
            case .hello:
                connection.send(.welcome(maxFrameBytes: maxFrameBytes, maxConcurrentCalls: maxConcurrentCalls))
            case .call(let call):
                connection.send(.result(callID: frame.callID, answer(call)))
            default:
                break
            }
        }
    }

    /// OK with a response that names the request: live and ready true, model metadata whose
    /// name is the requested model.
    @Sendable static func echo(_ call: Predict_V1_Call) -> Predict_V1_Result {
        var result = Predict_V1_Result()
        result.status = .ok
        switch call.request {
        case .serverLive:
            var live = Inference_ServerLiveResponse()
            live.live = true
            result.serverLive = live
        case .serverReady:
            var ready = Inference_ServerReadyResponse()
            ready.ready = true
            result.serverReady = ready
        case .modelMetadata(let request):
            var metadata = Inference_ModelMetadataResponse()
            metadata.name = request.name
            result.modelMetadata = metadata
        default:
            result.status = Predict_V1_Status(.unimplemented, "the fake does not answer this")
        }
        return result
    }
}

/// One accepted connection of a ``FakeServer``: what it received, and a way to answer.
final class FakeConnection: Sendable {
    let index: Int
    private let channel: any Channel
    private let record = NIOLockedValueBox(Record())

    private struct Record {
        var frames: [Predict_V1_Frame] = []
        var reads = 0
        var closed = false
    }

    init(index: Int, channel: any Channel) {
        self.index = index
        self.channel = channel
    }

    /// Every frame received, in order.
    var frames: [Predict_V1_Frame] { record.withLockedValue { $0.frames } }
    /// The Call frames received, in order.
    var calls: [Predict_V1_Frame] { frames.filter { if case .call = $0.kind { true } else { false } } }
    /// The Cancel frames received, in order.
    var cancels: [Predict_V1_Frame] { frames.filter { if case .cancel = $0.kind { true } else { false } } }
    /// The Hello frames received, in order.
    var hellos: [Predict_V1_Hello] { frames.compactMap { if case .hello(let hello) = $0.kind { hello } else { nil } } }
    /// Socket reads that carried the frames.
    var reads: Int { record.withLockedValue { $0.reads } }
    var isClosed: Bool { record.withLockedValue { $0.closed } }

    func send(_ frame: Predict_V1_Frame) {
        send([frame])
    }

    /// Writes the frames and flushes once.
    func send(_ frames: [Predict_V1_Frame]) {
        var buffer = channel.allocator.buffer(capacity: 64 * frames.count)
        for frame in frames {
            try! buffer.writeFrame(frame)
        }
        channel.writeAndFlush(buffer, promise: nil)
    }

    func close() {
        channel.close(promise: nil)
    }

    fileprivate func received(_ frame: Predict_V1_Frame) {
        record.withLockedValue { $0.frames.append(frame) }
    }

    fileprivate func didRead() {
        record.withLockedValue { $0.reads += 1 }
    }

    fileprivate func didClose() {
        record.withLockedValue { $0.closed = true }
    }
}

/// Decodes a connection's frames, records them and hands them to the script.
private final class FakeConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let connection: FakeConnection
    private let script: FakeServer.Script
    private var pending: ByteBuffer?

    init(connection: FakeConnection, script: @escaping FakeServer.Script) {
        self.connection = connection
        self.script = script
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        connection.didRead()
        if var buffered = pending {
            buffered.writeBuffer(&bytes)
            bytes = buffered
        }
        while let frame = try! FrameDecoder.decodeFrame(from: &bytes, maxFrameBytes: 64 * 1024 * 1024) {
            connection.received(frame)
            script(frame, connection)
        }
        pending = bytes.readableBytes > 0 ? bytes : nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        connection.didClose()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
