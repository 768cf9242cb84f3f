import NIOCore
import PredictProtocol
import SwiftProtobuf

/// A `predict.v1.Call` message serialized once, on the caller's thread, straight into the
/// buffer that goes to the socket.
///
/// Serializing before the event loop keeps large requests off it and gives the exact size for
/// the `Welcome.max_frame_bytes` check. The call_id is chosen later, on the loop, when the call
/// is written (`CallFrame` adds it in front).
struct SerializedCall: Sendable {
    let bytes: ByteBuffer

    init(_ call: Predict_V1_Call) throws(PredictClientError) {
        do {
            let payload: ByteBufferBytes = try call.serializedBytes()
            bytes = payload.buffer
        } catch {
            throw PredictClientError(.internalError, "cannot serialize the call: \(error)")
        }
    }
}

/// The byte container SwiftProtobuf serializes into: a plain `ByteBuffer`.
private struct ByteBufferBytes: SwiftProtobufContiguousBytes {
    var buffer: ByteBuffer

    init(repeating byte: UInt8, count: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: count)
        buffer.writeRepeatingByte(byte, count: count)
    }

    init<S: Sequence>(_ sequence: S) where S.Element == UInt8 {
        buffer = ByteBufferAllocator().buffer(capacity: sequence.underestimatedCount)
        buffer.writeBytes(sequence)
    }

    var count: Int { buffer.readableBytes }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeReadableBytes(body)
    }

    mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeMutableReadableBytes(body)
    }
}
