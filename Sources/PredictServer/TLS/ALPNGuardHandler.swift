import NIOCore
import PredictProtocol

/// Sits in front of the TLS handler and refuses, in the handshake, a client whose ClientHello
/// offers ALPN without `predict/1` (PROTOCOL.md, Transport): it answers a fatal
/// `no_application_protocol` alert and closes. Everything else, including bytes that are not
/// TLS at all, passes to the TLS handler untouched, and the guard removes itself.
final class ALPNGuardHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// A TLS 1.2-framed fatal alert (level 2) with description 120, `no_application_protocol`.
    static let noApplicationProtocolAlert: [UInt8] = [21, 3, 3, 0, 2, 2, 120]

    private let requiredProtocol: String
    private let onRefusal: () -> Void
    private var buffered: ByteBuffer?
    private var decided = false

    init(requiredProtocol: String = WireProtocol.alpnProtocol, onRefusal: @escaping () -> Void = {}) {
        self.requiredProtocol = requiredProtocol
        self.onRefusal = onRefusal
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !decided else {
            context.fireChannelRead(data)
            return
        }
        var incoming = unwrapInboundIn(data)
        if buffered == nil {
            buffered = incoming
        } else {
            buffered!.writeBuffer(&incoming)
        }
        let inspection = buffered!.withUnsafeReadableBytes { ClientHelloInspection.inspect($0) }
        switch inspection {
        case .needMoreBytes:
            return
        case .offers(let protocols) where !protocols.contains(requiredProtocol):
            decided = true
            buffered = nil
            onRefusal()
            let alert = context.channel.allocator.buffer(bytes: Self.noApplicationProtocolAlert)
            context.writeAndFlush(NIOAny(alert), promise: nil)
            context.close(promise: nil)
        case .offers, .noALPN, .notInspectable:
            decided = true
            let bytes = buffered!
            buffered = nil
            context.fireChannelRead(wrapInboundOut(bytes))
            context.pipeline.syncOperations.removeHandler(self, promise: nil)
        }
    }
}
