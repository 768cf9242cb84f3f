import NIOCore
import SwiftProtobuf

extension ByteBuffer {
    /// A buffer holding exactly one frame: the 5-byte prefix and `frame` serialized once,
    /// straight into the buffer that goes to the channel. The server writes these and flushes
    /// once per read burst.
    public init(frame: Predict_V1_Frame) throws {
        var payload: PrefixedPayload = try frame.serializedBytes()
        payload.buffer.setInteger(UInt8(0), at: payload.buffer.readerIndex)
        payload.buffer.setInteger(UInt32(payload.count), at: payload.buffer.readerIndex + 1)
        self = payload.buffer
    }

    /// Appends one frame (prefix and payload) to this buffer, for callers that gather several
    /// frames into one write. Returns the number of bytes written.
    @discardableResult
    public mutating func writeFrame(_ frame: Predict_V1_Frame) throws -> Int {
        var framed = try ByteBuffer(frame: frame)
        return writeBuffer(&framed)
    }
}

/// Writes each outbound `predict.v1.Frame` with PROTOCOL.md's prefix; wrap it in a
/// `MessageToByteHandler`. Flags are always 0: version 1 sends nothing compressed.
public struct FrameEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = Predict_V1_Frame

    public init() {}

    public func encode(data: Predict_V1_Frame, out: inout ByteBuffer) throws {
        try out.writeFrame(data)
    }
}
