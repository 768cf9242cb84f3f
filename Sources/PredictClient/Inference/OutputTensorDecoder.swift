import Foundation
import PredictProtocol

/// Reads the elements of one output of a `ModelInferResponse`, from `raw_output_contents`
/// when the response is raw, else from the typed `contents`.
///
/// Raw layout (OPEN_INFERENCE_PROTOCOL.md): fixed-size elements little-endian, back to back;
/// each BYTES element a 4-byte little-endian length followed by that many bytes.
enum OutputTensorDecoder {
    /// The elements of an INT64, INT32 or BYTES output as text: `"2"`, `"setosa"`.
    static func labels(_ response: Inference_ModelInferResponse, output index: Int) throws(PredictClientError) -> [String] {
        let output = response.outputs[index]
        let count = try elementCount(output)
        let raw = try rawContents(response, output: index)
        let labels: [String]
        switch output.datatype {
        case "INT64":
            labels = try raw.map { data throws(PredictClientError) in try fixedWidth(Int64.self, count: count, from: data, output: output).map(String.init) }
                ?? output.contents.int64Contents.map(String.init)
        case "INT32":
            labels = try raw.map { data throws(PredictClientError) in try fixedWidth(Int32.self, count: count, from: data, output: output).map(String.init) }
                ?? output.contents.intContents.map(String.init)
        case "BYTES":
            labels = try raw.map { data throws(PredictClientError) in try strings(count: count, from: data, output: output) }
                ?? output.contents.bytesContents.map { String(decoding: $0, as: UTF8.self) }
        default:
            throw malformed(output, "is \(output.datatype), not a label datatype")
        }
        guard labels.count == count else {
            throw malformed(output, "has \(labels.count) elements for shape \(output.shape)")
        }
        return labels
    }

    /// The elements of an FP32 output.
    static func floats(_ response: Inference_ModelInferResponse, output index: Int) throws(PredictClientError) -> [Float] {
        let output = response.outputs[index]
        let count = try elementCount(output)
        let values = try rawContents(response, output: index).map { data throws(PredictClientError) in
            try fixedWidth(UInt32.self, count: count, from: data, output: output).map { Float(bitPattern: $0) }
        } ?? output.contents.fp32Contents
        guard values.count == count else {
            throw malformed(output, "has \(values.count) elements for shape \(output.shape)")
        }
        return values
    }

    // MARK: - Internals

    private static func rawContents(_ response: Inference_ModelInferResponse, output index: Int) throws(PredictClientError) -> Data? {
        if response.rawOutputContents.isEmpty { return nil }
        guard response.rawOutputContents.count == response.outputs.count else {
            throw PredictClientError(.internalError, "the response has \(response.rawOutputContents.count) raw_output_contents for \(response.outputs.count) outputs")
        }
        return response.rawOutputContents[index]
    }

    private static func elementCount(_ output: Inference_ModelInferResponse.InferOutputTensor) throws(PredictClientError) -> Int {
        var count = 1
        for dimension in output.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(dimension))
            guard dimension >= 0, !overflow else { throw malformed(output, "has shape \(output.shape)") }
            count = product
        }
        return count
    }

    private static func fixedWidth<T: FixedWidthInteger>(_: T.Type, count: Int, from data: Data, output: Inference_ModelInferResponse.InferOutputTensor) throws(PredictClientError) -> [T] {
        let size = MemoryLayout<T>.size
        guard data.count == count * size else {
            throw malformed(output, "has \(data.count) raw bytes; shape \(output.shape) needs \(count * size)")
        }
        return data.withUnsafeBytes { bytes in
            (0..<count).map { T(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * size, as: T.self)) }
        }
    }

    private static func strings(count: Int, from data: Data, output: Inference_ModelInferResponse.InferOutputTensor) throws(PredictClientError) -> [String] {
        let decoded: [String]? = data.withUnsafeBytes { bytes in
            var strings: [String] = []
            strings.reserveCapacity(min(count, bytes.count / 4))
            var offset = 0
            for _ in 0..<count {
                guard bytes.count - offset >= 4 else { return nil }
                let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                offset += 4
                guard bytes.count - offset >= length else { return nil }
                strings.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self))
                offset += length
            }
            return offset == bytes.count ? strings : nil
        }
        guard let decoded else {
            throw malformed(output, "is not \(count) BYTES elements of a 4-byte little-endian length and that many bytes")
        }
        return decoded
    }

    private static func malformed(_ output: Inference_ModelInferResponse.InferOutputTensor, _ problem: String) -> PredictClientError {
        PredictClientError(.internalError, "the server's output '\(output.name)' \(problem)")
    }
}
