import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PredictProtocol
import PredictServing
import ServiceLifecycle

/// The network front of `PredictServing`: a TCP listener with TLS (ALPN `predict/1`), one
/// `ConnectionHandler` per connection speaking PROTOCOL.md, and an orderly drain on shutdown.
///
/// Use `start()` and `shutdown()` directly, or run it as a swift-service-lifecycle `Service`,
/// whose graceful shutdown (SIGTERM) drains it. The caller owns the `InferenceService` and shuts
/// it down after the server.
public final class PredictServer: Service, Sendable {
    public let configuration: ServerConfiguration
    public let service: InferenceService

    private enum State {
        case idle
        case running(Running)
        case stopped
    }

    /// What exists while the server runs: made by `start()`, released by `shutdown()`.
    private struct Running {
        var channel: any Channel
        var group: MultiThreadedEventLoopGroup
    }

    private let dispatcher: CallDispatcher
    private let settings: ConnectionSettings
    /// The TLS context new connections use; a reload replaces it (open connections keep theirs).
    let tlsContext = NIOLockedValueBox<NIOSSLContext?>(nil)
    let accessPolicy: AccessPolicyBox?
    public let metrics: ServerMetrics
    private let registry = ConnectionRegistry()
    private let eventLoopThreads: Int
    private let state = NIOLockedValueBox<State>(.idle)
    /// Completed once the server has stopped, for `run()` and second `shutdown()` callers.
    private let stoppedSignal = StoppedSignal()
    let logger: Logger

    /// - Parameter eventLoopThreads: Threads that run the connections (TLS, framing, encoding);
    ///   default one per CPU. Inference runs on the serving core's own pinned workers.
    public init(
        configuration: ServerConfiguration,
        service: InferenceService,
        eventLoopThreads: Int = System.coreCount,
        metrics: ServerMetrics = ServerMetrics(),
        logger: Logger = Logger(label: "predict.server")
    ) {
        self.configuration = configuration
        self.service = service
        self.dispatcher = CallDispatcher(service: service, logger: logger)
        self.metrics = metrics
        if case .required(_, let policy) = configuration.authentication {
            self.accessPolicy = AccessPolicyBox(policy, repositoryInvokers: service.invokersByModel)
        } else {
            self.accessPolicy = nil
        }
        self.settings = ConnectionSettings(configuration, metrics: metrics, accessPolicy: accessPolicy)
        self.eventLoopThreads = max(1, eventLoopThreads)
        self.logger = logger
    }

    /// The address the server listens on, once started.
    public var localAddress: SocketAddress? {
        state.withLockedValue { state in
            if case .running(let running) = state { running.channel.localAddress } else { nil }
        }
    }

    /// The port the server listens on, once started (the chosen one when configured with 0).
    public var port: Int? { localAddress?.port }

    /// Binds and starts accepting connections. Throws `ServerStartupError` for an unusable
    /// certificate or key, an insecure server on a non-loopback address, or a failed bind.
    public func start() async throws {
        let ssl = try configuration.transport.makeSSLContext()
        if ssl == nil {
            try Self.requireLoopback(configuration.host)
        }
        tlsContext.withLockedValue { $0 = ssl }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: eventLoopThreads)
        let channel: any Channel
        do {
            channel = try await makeBootstrap(group: group).bind(host: configuration.host, port: configuration.port).get()
        } catch {
            try? await group.shutdownGracefully()
            throw ServerStartupError("cannot listen on \(configuration.host):\(configuration.port): \(error)")
        }
        let running = Running(channel: channel, group: group)
        let started = state.withLockedValue { state in
            guard case .idle = state else { return false }
            state = .running(running)
            return true
        }
        guard started else {
            try? await channel.close()
            try? await group.shutdownGracefully()
            throw ServerStartupError("the server was already started or stopped")
        }
        logger.info("listening", metadata: [
            "address": "\(channel.localAddress.map { "\($0)" } ?? "?")",
            "transport": "\(ssl == nil ? "plaintext (insecure, loopback only)" : "TLS")",
        ])
    }

    /// `Service`: starts if needed, serves until graceful shutdown (SIGTERM in `predict-server`),
    /// then drains.
    public func run() async throws {
        if case .idle = state.withLockedValue({ $0 }) { try await start() }
        await withGracefulShutdownHandler {
            await stoppedSignal.wait()
        } onGracefulShutdown: {
            Task { await self.shutdown() }
        }
    }

    /// Drains (PROTOCOL.md rule 8): stops accepting, tells every connection GoAway(OK) so its
    /// client moves new calls elsewhere, lets calls in flight finish for up to
    /// `drainTimeout`, then closes what is left and stops the event loops. Safe to call twice.
    public func shutdown() async {
        let previous = state.withLockedValue { state in
            defer { state = .stopped }
            return state
        }
        let running: Running
        switch previous {
        case .idle:
            stoppedSignal.fire()
            return
        case .stopped:
            await stoppedSignal.wait()
            return
        case .running(let value):
            running = value
        }
        dispatcher.beginDrain()
        try? await running.channel.close()
        let connections = registry.count
        let closing = EventLoopFuture.andAllComplete(registry.drainAll(), on: running.group.next())
        // At the drain timeout, calls still running are answered UNAVAILABLE; a connection
        // that has not closed a second later is closed regardless.
        let deadline = running.group.next().scheduleTask(in: TimeAmount(configuration.drainTimeout)) { [registry] in
            _ = registry.abortAll()
        }
        let lastResort = running.group.next().scheduleTask(in: TimeAmount(configuration.drainTimeout) + .seconds(1)) { [registry] in
            registry.closeAll()
        }
        try? await closing.get()
        deadline.cancel()
        lastResort.cancel()
        logger.info("drained", metadata: ["connections": "\(connections)"])
        try? await running.group.shutdownGracefully()
        stoppedSignal.fire()
    }

    private func makeBootstrap(group: MultiThreadedEventLoopGroup) -> ServerBootstrap {
        let settings = self.settings
        let tlsContext = self.tlsContext
        let metrics = self.metrics
        let dispatcher = self.dispatcher
        let registry = self.registry
        let logger = self.logger
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let ssl = tlsContext.withLockedValue({ $0 }) {
                        try pipeline.addHandler(ALPNGuardHandler(onRefusal: { metrics.tlsHandshakeFailed(reason: "no_application_protocol") }))
                        try pipeline.addHandler(NIOSSLServerHandler(context: ssl))
                    }
                    var connectionLogger = logger
                    connectionLogger[metadataKey: "peer"] = "\(channel.remoteAddress.map { "\($0)" } ?? "?")"
                    let handler = ConnectionHandler(settings: settings, dispatcher: dispatcher, logger: connectionLogger)
                    try pipeline.addHandler(handler)
                    registry.add(channel, handler: handler)
                }
            }
    }

    /// Plaintext only where nobody else can listen in: a loopback address (PROTOCOL.md).
    static func requireLoopback(_ host: String) throws(ServerStartupError) {
        if host == "localhost" { return }
        let address: SocketAddress
        do {
            address = try SocketAddress(ipAddress: host, port: 0)
        } catch {
            throw ServerStartupError("--insecure needs a loopback address such as 127.0.0.1; '\(host)' is not an IP address")
        }
        let isLoopback: Bool = switch address {
        case .v4(let v4): v4.address.sin_addr.s_addr.bigEndian >> 24 == 127
        case .v6: host == "::1"
        case .unixDomainSocket: false
        }
        guard isLoopback else {
            throw ServerStartupError("--insecure serves plaintext, so it binds to loopback only (127.0.0.1 or ::1), not '\(host)'; use TLS to serve other hosts")
        }
    }
}
