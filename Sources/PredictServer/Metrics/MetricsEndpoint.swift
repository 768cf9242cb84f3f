import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import ServiceLifecycle

/// `GET /metrics` in Prometheus' text format, on its own plain-HTTP listener (`--metrics-port`),
/// apart from the TLS port so scrapers need neither a certificate nor a token. It exposes
/// counts and timings only: no token, principal or payload ever becomes a label.
public final class MetricsEndpoint: Service, Sendable {
    public let host: String
    public let requestedPort: Int
    private let registry: PrometheusCollectorRegistry
    private let logger: Logger
    private let channel = NIOLockedValueBox<(any Channel)?>(nil)
    private let stopped = StoppedSignal()

    public init(host: String, port: Int, registry: PrometheusCollectorRegistry, logger: Logger) {
        self.host = host
        self.requestedPort = port
        self.registry = registry
        self.logger = logger
    }

    /// The port it listens on once started (the chosen one when asked for 0).
    public var port: Int? { channel.withLockedValue { $0?.localAddress?.port } }

    public func start() async throws {
        let registry = self.registry
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    // A scrape takes milliseconds; a connection silent for 10 s is dropped.
                    try pipeline.addHandler(IdleStateHandler(allTimeout: .seconds(10)))
                    try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                    try pipeline.addHandler(MetricsRequestHandler(registry: registry))
                }
            }
        let bound: any Channel
        do {
            bound = try await bootstrap.bind(host: host, port: requestedPort).get()
        } catch {
            throw ServerStartupError("cannot listen for metrics on \(host):\(requestedPort): \(error)")
        }
        channel.withLockedValue { $0 = bound }
        logger.info("metrics listening", metadata: ["address": "\(bound.localAddress.map { "\($0)" } ?? "?")", "path": "/metrics"])
    }

    /// `Service`: starts if needed and serves until graceful shutdown, which closes the listener
    /// only after the server itself has drained (so the last scrape sees the drain).
    public func run() async throws {
        if port == nil { try await start() }
        await withGracefulShutdownHandler {
            await stopped.wait()
        } onGracefulShutdown: {
            Task { await self.shutdown() }
        }
    }

    public func shutdown() async {
        let bound = channel.withLockedValue { $0 }
        try? await bound?.close()
        stopped.fire()
    }
}

/// Answers one HTTP request: the exposition for GET or HEAD /metrics, 404 or 405 otherwise.
/// Each response closes its connection; scrapes are seconds apart.
private final class MetricsRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let registry: PrometheusCollectorRegistry
    private var request: HTTPRequestHead?

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            request = head
        case .body:
            break
        case .end:
            guard let head = request else { return }
            request = nil
            respond(to: head, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        let status: HTTPResponseStatus
        var body: [UInt8]
        var contentType = "text/plain; charset=utf-8"
        if path != "/metrics" {
            status = .notFound
            body = Array("not found: the metrics are at /metrics\n".utf8)
        } else if head.method != .GET && head.method != .HEAD {
            status = .methodNotAllowed
            body = Array("use GET\n".utf8)
        } else {
            status = .ok
            body = []
            body.reserveCapacity(16 * 1024)
            registry.emit(into: &body)
            contentType = "text/plain; version=0.0.4; charset=utf-8"
        }
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: contentType)
        headers.add(name: "content-length", value: String(body.count))
        headers.add(name: "connection", value: "close")
        if status == .methodNotAllowed { headers.add(name: "allow", value: "GET, HEAD") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        if head.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
