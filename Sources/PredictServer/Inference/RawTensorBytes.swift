import Foundation
import PredictRuntime
import PredictServing

/// Element types whose raw form (raw_input_contents, raw_output_contents) is their
/// little-endian bytes, one element after the other.
protocol FixedWidthWireElement: BitwiseCopyable {
    /// The same value with its bytes in reverse order, to convert between little-endian wire
    /// bytes and a big-endian host.
    var wireByteSwapped: Self { get }
}

extension Int32: FixedWidthWireElement { var wireByteSwapped: Int32 { byteSwapped } }
extension Int64: FixedWidthWireElement { var wireByteSwapped: Int64 { byteSwapped } }
extension Float: FixedWidthWireElement { var wireByteSwapped: Float { Float(bitPattern: bitPattern.byteSwapped) } }
extension Double: FixedWidthWireElement { var wireByteSwapped: Double { Double(bitPattern: bitPattern.byteSwapped) } }

/// The raw tensor layout of the Open Inference Protocol: fixed-size elements little-endian and
/// back to back; BOOL one byte (0 or 1) per element; BYTES each element as a 4-byte
/// little-endian length followed by that many bytes (Triton's layout).
///
/// Fixed-size elements move with one `memcpy` each way, which has no alignment requirement:
/// a protobuf `bytes` field may start at any address.
enum RawTensorBytes {
    /// The bytes of one element of `type` in raw form; nil for BYTES, whose elements vary.
    static func elementSize(_ type: ElementType) -> Int? {
        switch type {
        case .float32, .int32: 4
        case .float64, .int64: 8
        case .bool: 1
        case .string: nil
        }
    }

    /// Decodes `count` elements from `data`, whose size the caller has checked to be
    /// `count * MemoryLayout<T>.size`.
    static func decode<T: FixedWidthWireElement>(_: T.Type, count: Int, from data: Data) -> [T] {
        precondition(data.count == count * MemoryLayout<T>.size, "raw byte count checked by the caller")
        #if _endian(big)
        var values = copyBytes(T.self, count: count, from: data)
        for i in values.indices { values[i] = values[i].wireByteSwapped }
        return values
        #else
        return copyBytes(T.self, count: count, from: data)
        #endif
    }

    /// Decodes one byte per BOOL element; fails at the first byte that is neither 0 nor 1.
    static func decodeBools(_ data: Data) -> Result<[Bool], BadByte> {
        let bad = data.withUnsafeBytes { bytes in bytes.firstIndex { $0 > 1 } }
        if let bad { return .failure(BadByte(offset: bad, value: data[data.startIndex + bad])) }
        // Bool is one byte holding 0 or 1, which the bytes were just checked to be.
        return .success(copyBytes(Bool.self, count: data.count, from: data))
    }

    /// A BOOL byte other than 0 or 1.
    struct BadByte: Error {
        let offset: Int
        let value: UInt8
    }

    /// Decodes `count` BYTES elements, each a 4-byte little-endian length and the bytes, which
    /// must be UTF-8. `tensor` names the tensor in error messages ("input 'x'").
    static func decodeStrings(count: Int, from data: Data, tensor: String, field: String) throws(ServingError) -> [String] {
        let layout = "each BYTES element is a 4-byte little-endian length followed by that many bytes"
        let outcome: Result<[String], ServingError> = data.withUnsafeBytes { bytes in
            var strings: [String] = []
            // Each element takes at least its 4 length bytes: a shape cannot make this reserve
            // more than the data can fill.
            strings.reserveCapacity(min(count, bytes.count / 4))
            var offset = 0
            for element in 0..<count {
                guard bytes.count - offset >= 4 else {
                    return .failure(ServingError(.invalidArgument, "\(tensor): \(field) ends at byte \(bytes.count) inside the length of element \(element) of \(count); \(layout)"))
                }
                let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                offset += 4
                guard bytes.count - offset >= length else {
                    return .failure(ServingError(.invalidArgument, "\(tensor): element \(element) in \(field) declares \(length) bytes but only \(bytes.count - offset) remain; \(layout)"))
                }
                guard let string = utf8String(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])) else {
                    return .failure(ServingError(.invalidArgument, "\(tensor): element \(element) is not valid UTF-8; BYTES tensors carry UTF-8 text"))
                }
                strings.append(string)
                offset += length
            }
            guard offset == bytes.count else {
                return .failure(ServingError(.invalidArgument, "\(tensor): \(field) has \(bytes.count - offset) bytes left after the \(count) elements of its shape; \(layout)"))
            }
            return .success(strings)
        }
        return try outcome.get()
    }

    /// The raw form of a tensor's elements.
    static func encode(_ storage: Tensor.Storage) -> Data {
        switch storage {
        case .float32(let v): encode(v)
        case .float64(let v): encode(v)
        case .int64(let v): encode(v)
        case .int32(let v): encode(v)
        // Bool is one byte holding 0 or 1: exactly the raw form.
        case .bool(let v): v.withUnsafeBytes { Data($0) }
        case .string(let v): encode(v)
        }
    }

    static func encode<T: FixedWidthWireElement>(_ values: [T]) -> Data {
        #if _endian(big)
        return values.map(\.wireByteSwapped).withUnsafeBytes { Data($0) }
        #else
        return values.withUnsafeBytes { Data($0) }
        #endif
    }

    static func encode(_ strings: [String]) -> Data {
        var size = 0
        for s in strings { size += 4 + s.utf8.count }
        var data = Data(capacity: size)
        for s in strings {
            withUnsafeBytes(of: UInt32(s.utf8.count).littleEndian) { data.append(contentsOf: $0) }
            data.append(contentsOf: s.utf8)
        }
        return data
    }

    /// The bytes as a String when they are valid UTF-8, else nil (never repaired: a client
    /// sending Latin-1 must learn it, not get U+FFFD matched against its vocabulary).
    static func utf8String(_ bytes: UnsafeRawBufferPointer) -> String? {
        if #available(macOS 15, *) {
            return String(validating: bytes, as: UTF8.self)
        } else {
            return String(data: Data(bytes), encoding: .utf8)
        }
    }

    static func utf8String(_ data: Data) -> String? {
        data.withUnsafeBytes { utf8String($0) }
    }

    private static func copyBytes<T: BitwiseCopyable>(_: T.Type, count: Int, from data: Data) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            data.withUnsafeBytes { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: $0) }
            initialized = count
        }
    }
}
