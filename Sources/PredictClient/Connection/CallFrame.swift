import NIOCore
import PredictProtocol

/// The bytes in front of a ``SerializedCall`` that make it a whole `predict.v1.Frame`: the
/// 5-byte frame prefix, field 1 (`call_id`, varint) and the key and length of field 4 (`call`).
///
/// Written by hand because the call_id is only known on the event loop, after the Call was
/// serialized; the result decodes exactly as SwiftProtobuf's own encoding of the same Frame.
enum CallFrame {
    /// Key of `Frame.call_id`: field 1, wire type 0 (varint).
    private static let callIDKey: UInt8 = 1 << 3 | 0
    /// Key of `Frame.call`: field 4, wire type 2 (length-delimited).
    private static let callKey: UInt8 = 4 << 3 | 2

    /// The frame's payload size (what the length prefix says and `max_frame_bytes` limits).
    static func payloadBytes(callID: UInt64, callBytes: Int) -> Int {
        1 + varintBytes(callID) + 1 + varintBytes(UInt64(callBytes)) + callBytes
    }

    /// The prefix and the fields before the Call's own bytes.
    static func header(callID: UInt64, callBytes: Int, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: WireProtocol.framePrefixBytes + 22)
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt32(payloadBytes(callID: callID, callBytes: callBytes)))
        buffer.writeInteger(callIDKey)
        writeVarint(callID, to: &buffer)
        buffer.writeInteger(callKey)
        writeVarint(UInt64(callBytes), to: &buffer)
        return buffer
    }

    private static func varintBytes(_ value: UInt64) -> Int {
        // 7 payload bits per byte; 0 still takes one byte.
        max(1, (64 - value.leadingZeroBitCount + 6) / 7)
    }

    private static func writeVarint(_ value: UInt64, to buffer: inout ByteBuffer) {
        var rest = value
        while rest >= 0x80 {
            buffer.writeInteger(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        buffer.writeInteger(UInt8(rest))
    }
}
