import Foundation
import PredictProtocol

/// Builds the one `ModelInferRequest` that carries all rows: shape [rows, F], FP32,
/// little-endian in `raw_input_contents` (the compact form; the server answers raw too).
enum FeatureRowsRequest {
    /// INVALID_ARGUMENT, without a round trip, when rows differ in length or are empty.
    static func validate(_ rows: [[Float]]) throws(PredictClientError) -> Int {
        let width = rows.first?.count ?? 0
        guard width > 0 else {
            throw PredictClientError(.invalidArgument, "row 0 has no features")
        }
        if let ragged = rows.firstIndex(where: { $0.count != width }) {
            throw PredictClientError(
                .invalidArgument,
                "row \(ragged) has \(rows[ragged].count) features but row 0 has \(width); all rows of one call must have the same length")
        }
        return width
    }

    static func make(model: String, version: String, input: FeatureRowsInput, rows: [[Float]], width: Int) -> Inference_ModelInferRequest {
        var tensor = Inference_ModelInferRequest.InferInputTensor()
        tensor.name = input.name
        tensor.datatype = "FP32"
        tensor.shape = [Int64(rows.count), Int64(width)]
        var request = Inference_ModelInferRequest()
        request.modelName = model
        request.modelVersion = version
        request.inputs = [tensor]
        request.rawInputContents = [rawBytes(rows, width: width)]
        return request
    }

    private static func rawBytes(_ rows: [[Float]], width: Int) -> Data {
        var data = Data(capacity: rows.count * width * MemoryLayout<Float>.size)
        for row in rows {
            #if _endian(big)
            row.map { $0.bitPattern.littleEndian }.withUnsafeBytes { data.append(contentsOf: $0) }
            #else
            row.withUnsafeBytes { data.append(contentsOf: $0) }
            #endif
        }
        return data
    }
}
