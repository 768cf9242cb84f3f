import NIOCore

/// Splits inbound bytes into `predict.v1.Frame`s: PROTOCOL.md's 5-byte prefix (flags, 32-bit
/// big-endian length), then one protobuf payload.
///
/// Every framing violation is thrown as a ``ProtocolError`` (NIO fires it down the pipeline,
/// where the server answers `GoAway` with its ``ProtocolError/status`` and closes):
/// - a set flag bit (compression is not supported in version 1, bits 1-7 are reserved):
///   INVALID_ARGUMENT;
/// - a length over ``maxFrameBytes``: RESOURCE_EXHAUSTED, decided from the prefix alone, so
///   no more than the limit is ever buffered for one frame;
/// - a length of 0, or a payload that is not a `predict.v1.Frame`: INVALID_ARGUMENT.
///
/// The payload is parsed in place from the inbound buffer, without an intermediate copy.
public struct FrameDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = Predict_V1_Frame

    /// The largest payload accepted, in bytes.
    public let maxFrameBytes: Int

    public init(maxFrameBytes: Int = ProtocolLimits.defaultMaxFrameBytes) {
        precondition(maxFrameBytes > 0, "maxFrameBytes must be positive")
        self.maxFrameBytes = maxFrameBytes
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try Self.decodeFrame(from: &buffer, maxFrameBytes: maxFrameBytes) else {
            return .needMoreData
        }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // Whole frames that arrived before EOF are still delivered; a truncated tail is dropped
        // (the peer is gone, there is nobody to tell).
        try decode(context: context, buffer: &buffer)
    }

    /// Reads one frame from the front of `buffer`, or returns `nil` and consumes nothing when
    /// the frame is not complete yet. Checks the prefix as soon as its 5 bytes are there.
    /// Usable without a channel (a blocking client, a fuzzer).
    public static func decodeFrame(from buffer: inout ByteBuffer, maxFrameBytes: Int) throws -> Predict_V1_Frame? {
        guard let flags = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
              let length = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt32.self)
        else { return nil }
        if flags != 0 {
            throw flags & 0x01 != 0
                ? ProtocolError(.invalidArgument, "compressed frames are not supported in protocol version \(WireProtocol.version) (flags 0x\(String(flags, radix: 16)))")
                : ProtocolError(.invalidArgument, "reserved frame flag bits are set (flags 0x\(String(flags, radix: 16)))")
        }
        let payloadBytes = Int(length)
        guard payloadBytes <= maxFrameBytes else {
            throw ProtocolError(.resourceExhausted, "frame of \(payloadBytes) bytes exceeds the limit of \(maxFrameBytes)")
        }
        guard payloadBytes > 0 else {
            throw ProtocolError(.invalidArgument, "empty frame: a frame must carry a predict.v1.Frame")
        }
        guard buffer.readableBytes >= WireProtocol.framePrefixBytes + payloadBytes else { return nil }
        buffer.moveReaderIndex(forwardBy: WireProtocol.framePrefixBytes)
        let frame: Predict_V1_Frame
        do {
            frame = try buffer.withUnsafeReadableBytes { bytes in
                try Predict_V1_Frame(serializedBytes: UnsafeRawBufferPointer(rebasing: bytes.prefix(payloadBytes)).bytes)
            }
        } catch {
            throw ProtocolError(.invalidArgument, "frame payload of \(payloadBytes) bytes is not a predict.v1.Frame")
        }
        buffer.moveReaderIndex(forwardBy: payloadBytes)
        return frame
    }
}
