import Foundation
import PredictProtocol

/// Frames as tests write them.
extension Predict_V1_Frame {
    static func hello(version: UInt32 = 1, token: String = "", callID: UInt64 = 0) -> Self {
        var frame = Self()
        frame.callID = callID
        var hello = Predict_V1_Hello()
        hello.protocolVersion = version
        hello.authorization = token
        hello.userAgent = "e2e-tests"
        frame.hello = hello
        return frame
    }

    static func call(_ id: UInt64, timeoutMs: UInt32 = 0, _ request: Predict_V1_Call.OneOf_Request?) -> Self {
        var frame = Self()
        frame.callID = id
        var call = Predict_V1_Call()
        call.timeoutMs = timeoutMs
        call.request = request
        frame.call = call
        return frame
    }

    static func live(_ id: UInt64) -> Self { call(id, .serverLive(.init())) }

    static func cancel(_ id: UInt64) -> Self {
        var frame = Self()
        frame.callID = id
        frame.cancel = Predict_V1_Cancel()
        return frame
    }

    static func ping(_ opaque: UInt64) -> Self {
        var frame = Self()
        var ping = Predict_V1_Ping()
        ping.opaque = opaque
        frame.ping = ping
        return frame
    }

    /// An inference call on `model` with FP32 rows in typed contents, input `name`.
    static func infer(_ id: UInt64, model: String, input name: String = "X", rows: [[Float]], timeoutMs: UInt32 = 0, raw: Bool = false) -> Self {
        call(id, timeoutMs: timeoutMs, .modelInfer(.rows(model: model, input: name, rows, raw: raw)))
    }

    var status: Predict_V1_Status? {
        switch kind {
        case .result(let result): result.status
        case .goAway(let goAway): goAway.status
        default: nil
        }
    }
}

extension Inference_ModelInferRequest {
    static func rows(model: String, input name: String, _ rows: [[Float]], raw: Bool) -> Self {
        var request = Self()
        request.modelName = model
        var input = InferInputTensor()
        input.name = name
        input.datatype = "FP32"
        input.shape = [Int64(rows.count), Int64(rows.first?.count ?? 0)]
        let values = rows.flatMap { $0 }
        if raw {
            request.rawInputContents = [values.withUnsafeBytes { Data($0) }]
        } else {
            input.contents.fp32Contents = values
        }
        request.inputs = [input]
        return request
    }
}

extension Predict_V1_Status {
    var name: String { statusCode?.name ?? "code \(code)" }
}

/// The iris example's first row (setosa) and the probabilities onnxruntime gives for it.
enum Iris {
    static let setosa: [Float] = [5.1, 3.5, 1.4, 0.2]
    static let setosaProbabilities: [Float] = [0.981657, 0.0183431, 1.4395e-08]
}

extension Predict_V1_Frame {
    var isWelcome: Bool { if case .welcome = kind { true } else { false } }
}
