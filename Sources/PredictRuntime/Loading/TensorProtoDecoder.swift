import Foundation

/// Decodes ONNX `TensorProto`s (initializers and tensor attributes) into tensors, from either
/// `raw_data` (little-endian bytes) or the typed repeated fields, checking that the element
/// count matches the dims.
enum TensorProtoDecoder {
    static func decode(_ proto: Onnx_TensorProto, what: String) throws -> Tensor {
        if proto.dataLocation == .external || !proto.externalData.isEmpty {
            throw RuntimeError.unsupported("\(what) keeps its data in an external file; save the model with its data embedded")
        }
        var shape: [Int] = []
        for dim in proto.dims {
            guard dim >= 0, dim <= Int32.max else {
                throw RuntimeError.invalidModel("\(what) has an invalid dimension \(dim) in \(proto.dims)")
            }
            shape.append(Int(dim))
        }
        let (count, overflow) = shape.reduce((1, false)) { acc, d in
            let (p, o) = acc.0.multipliedReportingOverflow(by: d)
            return (p, acc.1 || o)
        }
        guard !overflow, count <= 1 << 31 else {
            throw RuntimeError.invalidModel("\(what) has too many elements: dims \(proto.dims)")
        }
        guard let type = ElementType(onnx: proto.dataType) else {
            throw RuntimeError.unsupported("\(what) has element type \(ElementType.onnxName(proto.dataType)), which this runtime does not support")
        }
        let storage: Tensor.Storage
        let hasRaw = proto.hasRawData
        switch type {
        case .float32:
            storage = .float32(hasRaw ? try raw(proto.rawData, count, what) : proto.floatData)
        case .float64:
            storage = .float64(hasRaw ? try raw(proto.rawData, count, what) : proto.doubleData)
        case .int64:
            storage = .int64(hasRaw ? try raw(proto.rawData, count, what) : proto.int64Data)
        case .int32:
            storage = .int32(hasRaw ? try raw(proto.rawData, count, what) : proto.int32Data)
        case .bool:
            if hasRaw {
                let bytes: [UInt8] = try raw(proto.rawData, count, what)
                storage = .bool(bytes.map { $0 != 0 })
            } else {
                storage = .bool(proto.int32Data.map { $0 != 0 })
            }
        case .string:
            guard !hasRaw else { throw RuntimeError.invalidModel("\(what) is a string tensor with raw_data, which ONNX does not allow") }
            storage = .string(proto.stringData.map { String(decoding: $0, as: UTF8.self) })
        }
        guard storage.count == count else {
            throw RuntimeError.invalidModel("\(what) has dims \(proto.dims) (\(count) elements) but holds \(storage.count) values")
        }
        return Tensor(shape: shape, storage: storage)
    }

    /// Reinterprets little-endian raw bytes as `count` values of `T`.
    private static func raw<T: FixedWidthIntegerOrFloat>(_ data: Data, _ count: Int, _ what: String) throws -> [T] {
        guard data.count == count * MemoryLayout<T>.size else {
            throw RuntimeError.invalidModel("\(what) has \(data.count) bytes of raw_data; \(count) elements need \(count * MemoryLayout<T>.size)")
        }
        return data.withUnsafeBytes { bytes in
            (0..<count).map { T(littleEndianBits: bytes.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.Bits.self)) }
        }
    }
}

/// The element types raw_data can hold, read from their little-endian bit patterns.
protocol FixedWidthIntegerOrFloat {
    associatedtype Bits: FixedWidthInteger
    init(littleEndianBits: Bits)
}

extension Float: FixedWidthIntegerOrFloat {
    init(littleEndianBits: UInt32) { self.init(bitPattern: UInt32(littleEndian: littleEndianBits)) }
}

extension Double: FixedWidthIntegerOrFloat {
    init(littleEndianBits: UInt64) { self.init(bitPattern: UInt64(littleEndian: littleEndianBits)) }
}

extension Int64: FixedWidthIntegerOrFloat {
    init(littleEndianBits: Int64) { self.init(littleEndian: littleEndianBits) }
}

extension Int32: FixedWidthIntegerOrFloat {
    init(littleEndianBits: Int32) { self.init(littleEndian: littleEndianBits) }
}

extension UInt8: FixedWidthIntegerOrFloat {
    init(littleEndianBits: UInt8) { self = littleEndianBits }
}
