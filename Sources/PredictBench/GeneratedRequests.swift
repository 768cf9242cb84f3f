import Foundation
import PredictClient
import PredictProtocol

/// Requests made up from a model's metadata: every input filled with seeded random values of
/// its datatype, `rows` rows per request. Each request holds different rows, so tree models
/// are not flattered by a branch predictor that has learned one input.
public enum GeneratedRequests {
    /// `count` requests for `model` (`version`, or the server's choice when empty).
    public static func make(
        metadata: Inference_ModelMetadataResponse, model: String, version: String, rows: Int, count: Int, seed: UInt64 = 1
    ) throws(PredictClientError) -> [Inference_ModelInferRequest] {
        guard !metadata.inputs.isEmpty else {
            throw PredictClientError(.invalidArgument, "model '\(model)' declares no inputs to generate")
        }
        let inputs = try metadata.inputs.map { input throws(PredictClientError) in
            try GeneratedInput(input, rows: rows, model: model)
        }
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            var request = Inference_ModelInferRequest()
            request.modelName = model
            request.modelVersion = version
            request.inputs = inputs.map(\.tensor)
            request.rawInputContents = inputs.map { $0.randomContents(using: &random) }
            return request
        }
    }
}

/// One input's tensor header and how to fill it.
private struct GeneratedInput {
    let tensor: Inference_ModelInferRequest.InferInputTensor
    let elements: Int
    let datatype: String

    init(_ input: Inference_ModelMetadataResponse.TensorMetadata, rows: Int, model: String) throws(PredictClientError) {
        guard Self.elementSize(input.datatype) != nil else {
            throw PredictClientError(
                .invalidArgument,
                "model '\(model)' input '\(input.name)' is \(input.datatype), which cannot be generated; give rows with --input")
        }
        // The first variable dimension is the batch; any other is taken as 1.
        var shape = input.shape
        if let batch = shape.firstIndex(of: -1) { shape[batch] = Int64(rows) }
        shape = shape.map { $0 < 0 ? 1 : $0 }
        var tensor = Inference_ModelInferRequest.InferInputTensor()
        tensor.name = input.name
        tensor.datatype = input.datatype
        tensor.shape = shape
        self.tensor = tensor
        self.elements = Int(shape.reduce(1, *))
        self.datatype = input.datatype
    }

    static func elementSize(_ datatype: String) -> Int? {
        switch datatype {
        case "FP32", "INT32", "UINT32": 4
        case "FP64", "INT64", "UINT64": 8
        case "INT16", "UINT16": 2
        case "INT8", "UINT8", "BOOL": 1
        default: nil
        }
    }

    /// Little-endian raw contents: floats from a standard normal, integers in 0..<10, booleans
    /// either way.
    func randomContents(using random: inout SplitMix64) -> Data {
        var data = Data(capacity: elements * (Self.elementSize(datatype) ?? 1))
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
        }
        for _ in 0..<elements {
            switch datatype {
            case "FP32": append(Float(Self.normal(&random)).bitPattern)
            case "FP64": append(Self.normal(&random).bitPattern)
            case "BOOL": append(UInt8(random.next() & 1))
            case "INT8": append(Int8(random.next() % 10))
            case "UINT8": append(UInt8(random.next() % 10))
            case "INT16": append(Int16(random.next() % 10))
            case "UINT16": append(UInt16(random.next() % 10))
            case "INT32": append(Int32(random.next() % 10))
            case "UINT32": append(UInt32(random.next() % 10))
            case "INT64": append(Int64(random.next() % 10))
            default: append(UInt64(random.next() % 10))
            }
        }
        return data
    }

    /// Box–Muller: one standard normal draw from two uniform ones.
    static func normal(_ random: inout SplitMix64) -> Double {
        let u1 = 1 - Double(random.next() >> 11) * 0x1p-53
        let u2 = Double(random.next() >> 11) * 0x1p-53
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}
