import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A JWKS endpoint on 127.0.0.1 (plaintext HTTP/1.1, an ephemeral port) whose every answer a
/// test scripts. It counts the requests it receives and can hold its answers back until the
/// test releases them, to keep a fetch in flight.
final class KeySourceHTTPServer: Sendable {
    /// What the server answers.
    struct Reply: Sendable {
        var status: HTTPResponseStatus = .ok
        var headers: [(String, String)] = []
        var body: String
        /// Sends the body in two chunks without a Content-Length, so a client cannot refuse
        /// an oversized body before reading it.
        var chunked = false
        /// Sends the head and half the body, then nothing more: a response that never ends.
        var stallsBody = false
    }

    let port: Int
    /// The URL a key source fetches.
    var url: String { "http://127.0.0.1:\(port)/jwks.json" }

    private let channel: any Channel
    private let shared: NIOLockedValueBox<Shared>

    fileprivate struct Shared {
        var reply: Reply
        var requestCount = 0
        var holding = false
        var held: [@Sendable (Reply) -> Void] = []
    }

    /// Starts listening; every request gets `reply` until ``reply(with:)`` changes it.
    static func start(replying reply: Reply) async throws -> KeySourceHTTPServer {
        let shared = NIOLockedValueBox(Shared(reply: reply))
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ReplyHandler(shared: shared))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return KeySourceHTTPServer(channel: channel, shared: shared)
    }

    private init(channel: any Channel, shared: NIOLockedValueBox<Shared>) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.shared = shared
    }

    /// Changes the answer to later requests (and to held ones, once released).
    func reply(with reply: Reply) {
        shared.withLockedValue { $0.reply = reply }
    }

    /// How many requests have arrived, answered or held.
    var requestCount: Int {
        shared.withLockedValue { $0.requestCount }
    }

    /// Holds back the answers to requests from now on, until ``release()``.
    func hold() {
        shared.withLockedValue { $0.holding = true }
    }

    /// Answers every held request with the current reply, and later ones at once.
    func release() {
        let (reply, held) = shared.withLockedValue { shared in
            shared.holding = false
            defer { shared.held = [] }
            return (shared.reply, shared.held)
        }
        for answer in held { answer(reply) }
    }

    /// Stops listening, answering anything still held first.
    func stop() async {
        release()
        try? await channel.close()
    }

    private final class ReplyHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let shared: NIOLockedValueBox<Shared>

        init(shared: NIOLockedValueBox<Shared>) {
            self.shared = shared
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head:
                shared.withLockedValue { $0.requestCount += 1 }
            case .body:
                break
            case .end:
                let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
                let eventLoop = context.eventLoop
                let answer: @Sendable (Reply) -> Void = { reply in
                    eventLoop.execute { Self.write(reply, to: loopBound.value) }
                }
                let immediate: Reply? = shared.withLockedValue { shared in
                    if shared.holding {
                        shared.held.append(answer)
                        return nil
                    }
                    return shared.reply
                }
                if let immediate { Self.write(immediate, to: context) }
            }
        }

        private static func write(_ reply: Reply, to context: ChannelHandlerContext) {
            var headers = HTTPHeaders(reply.headers)
            let body = context.channel.allocator.buffer(string: reply.body)
            if !reply.chunked && !reply.stallsBody {
                headers.replaceOrAdd(name: "Content-Length", value: "\(body.readableBytes)")
            }
            let head = HTTPResponseHead(version: .http1_1, status: reply.status, headers: headers)
            context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
            if reply.stallsBody {
                let half = body.getSlice(at: 0, length: body.readableBytes / 2)!
                context.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.byteBuffer(half))), promise: nil)
                return
            }
            if reply.chunked {
                let half = body.readableBytes / 2
                context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(body.getSlice(at: 0, length: half)!))), promise: nil)
                context.write(
                    NIOAny(HTTPServerResponsePart.body(.byteBuffer(body.getSlice(at: half, length: body.readableBytes - half)!))),
                    promise: nil
                )
            } else {
                context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(body))), promise: nil)
            }
            context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
        }
    }
}
