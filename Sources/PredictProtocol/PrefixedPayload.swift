import NIOCore
import SwiftProtobuf

/// The byte container SwiftProtobuf serializes a frame into: a `ByteBuffer` that starts with
/// room for the 5-byte prefix, so the payload is written once, in place, and the buffer goes
/// to the channel as it is. Its bytes (`count`, `withUnsafe…`) are the payload alone.
struct PrefixedPayload: SwiftProtobufContiguousBytes {
    var buffer: ByteBuffer

    init(repeating byte: UInt8, count: Int) {
        buffer = ByteBufferAllocator().buffer(capacity: WireProtocol.framePrefixBytes + count)
        buffer.writeRepeatingByte(0, count: WireProtocol.framePrefixBytes)
        buffer.writeRepeatingByte(byte, count: count)
    }

    init<S: Sequence>(_ sequence: S) where S.Element == UInt8 {
        buffer = ByteBufferAllocator().buffer(capacity: WireProtocol.framePrefixBytes + sequence.underestimatedCount)
        buffer.writeRepeatingByte(0, count: WireProtocol.framePrefixBytes)
        buffer.writeBytes(sequence)
    }

    var count: Int { buffer.readableBytes - WireProtocol.framePrefixBytes }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeReadableBytes { bytes in
            try body(UnsafeRawBufferPointer(rebasing: bytes.dropFirst(WireProtocol.framePrefixBytes)))
        }
    }

    mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try buffer.withUnsafeMutableReadableBytes { bytes in
            try body(UnsafeMutableRawBufferPointer(rebasing: bytes.dropFirst(WireProtocol.framePrefixBytes)))
        }
    }
}
