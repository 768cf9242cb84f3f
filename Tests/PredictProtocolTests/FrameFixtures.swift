import Foundation
import NIOCore
import PredictProtocol

/// One frame of each kind, with enough content that a wrong field number or a dropped field
/// would show in a round trip.
enum FrameFixtures {
    static var hello: Predict_V1_Frame {
        var frame = Predict_V1_Frame()
        frame.hello = .with {
            $0.protocolVersion = WireProtocol.version
            $0.authorization = "Bearer abc.def.ghi"
            $0.userAgent = "predict-tests/1"
        }
        return frame
    }

    static var welcome: Predict_V1_Frame {
        var frame = Predict_V1_Frame()
        frame.welcome = .with {
            $0.protocolVersion = 1
            $0.maxFrameBytes = UInt32(ProtocolLimits.defaultMaxFrameBytes)
            $0.maxConcurrentCalls = UInt32(ProtocolLimits.defaultMaxConcurrentCalls)
            $0.server = "predict-server 0.1"
            $0.identity = .with {
                $0.subject = "svc-42"
                $0.email = "svc@example.com"
                $0.issuer = "https://issuer.example"
                $0.expiresAtUnix = 1_900_000_000
            }
        }
        return frame
    }

    static var inferCall: Predict_V1_Frame {
        var frame = Predict_V1_Frame()
        frame.callID = 7
        frame.call = .with {
            $0.timeoutMs = 250
            $0.modelInfer = .with {
                $0.modelName = "iris"
                $0.modelVersion = "2"
                $0.id = "req-1"
                $0.parameters["priority"] = .with { $0.int64Param = -3 }
                $0.parameters["threshold"] = .with { $0.doubleParam = 0.5 }
                $0.parameters["seed"] = .with { $0.uint64Param = .max }
                $0.inputs = [.with {
                    $0.name = "float_input"
                    $0.datatype = "FP32"
                    $0.shape = [2, 4]
                    $0.contents = .with { $0.fp32Contents = [5.1, 3.5, 1.4, 0.2, 6.2, 2.9, 4.3, 1.3] }
                }]
                $0.outputs = [.with { $0.name = "probabilities" }]
            }
        }
        return frame
    }

    static var rawInferCall: Predict_V1_Frame {
        var frame = Predict_V1_Frame()
        frame.callID = 8
        frame.call = .with {
            $0.modelInfer = .with {
                $0.modelName = "forest"
                $0.inputs = [.with { $0.name = "x"; $0.datatype = "FP32"; $0.shape = [1, 2] }]
                $0.rawInputContents = [Data([0, 0, 128, 63, 0, 0, 0, 64])]
            }
        }
        return frame
    }

    static var inferResult: Predict_V1_Frame {
        var frame = Predict_V1_Frame()
        frame.callID = 7
        frame.result = .with {
            $0.status = .ok
            $0.modelInfer = .with {
                $0.modelName = "iris"
                $0.modelVersion = "2"
                $0.id = "req-1"
                $0.outputs = [.with {
                    $0.name = "label"
                    $0.datatype = "INT64"
                    $0.shape = [2]
                    $0.contents = .with { $0.int64Contents = [0, 1] }
                }]
            }
        }
        return frame
    }

    static var metadataResult: Predict_V1_Frame {
        var frame = Predict_V1_Frame()
        frame.callID = 9
        frame.result = .with {
            $0.status = .ok
            $0.modelMetadata = .with {
                $0.name = "iris"
                $0.versions = ["1", "2"]
                $0.platform = "onnx_onnxv1"
                $0.inputs = [.with { $0.name = "float_input"; $0.datatype = "FP32"; $0.shape = [-1, 4] }]
            }
        }
        return frame
    }

    static var errorResult: Predict_V1_Frame {
        var frame = Predict_V1_Frame()
        frame.callID = 10
        frame.result = .with { $0.status = Predict_V1_Status(.notFound, "model 'nope' not found") }
        return frame
    }

    static var cancel: Predict_V1_Frame {
        var frame = Predict_V1_Frame()
        frame.callID = 7
        frame.cancel = Predict_V1_Cancel()
        return frame
    }

    static var ping: Predict_V1_Frame {
        var frame = Predict_V1_Frame()
        frame.ping = .with { $0.opaque = 7 }
        return frame
    }

    static var pong: Predict_V1_Frame {
        var frame = Predict_V1_Frame()
        frame.pong = .with { $0.opaque = .max }
        return frame
    }

    static var goAway: Predict_V1_Frame {
        var frame = Predict_V1_Frame()
        frame.goAway = .with { $0.lastCallID = 41; $0.status = .ok }
        return frame
    }

    /// Every kind of Frame, and each request and response of Call and Result that tests use.
    static var all: [Predict_V1_Frame] {
        var calls: [Predict_V1_Frame] = []
        let requests: [Predict_V1_Call.OneOf_Request] = [
            .serverLive(.init()), .serverReady(.init()),
            .modelReady(.with { $0.name = "iris"; $0.version = "1" }),
            .serverMetadata(.init()), .modelMetadata(.with { $0.name = "iris" }),
        ]
        for (index, request) in requests.enumerated() {
            var frame = Predict_V1_Frame()
            frame.callID = UInt64(100 + index)
            frame.call = .with { $0.request = request; $0.authorization = "Bearer t" }
            calls.append(frame)
        }
        let responses: [Predict_V1_Result.OneOf_Response] = [
            .serverLive(.with { $0.live = true }), .serverReady(.with { $0.ready = true }),
            .modelReady(.with { $0.ready = true }),
            .serverMetadata(.with { $0.name = "predict"; $0.version = "0.1"; $0.extensions = ["model_repository"] }),
        ]
        for (index, response) in responses.enumerated() {
            var frame = Predict_V1_Frame()
            frame.callID = UInt64(100 + index)
            frame.result = .with { $0.status = .ok; $0.response = response }
            calls.append(frame)
        }
        return [hello, welcome, inferCall, rawInferCall, inferResult, metadataResult, errorResult, cancel, ping, pong, goAway] + calls
    }

    /// The frame as it goes on the wire.
    static func bytes(_ frame: Predict_V1_Frame) throws -> [UInt8] {
        let buffer = try ByteBuffer(frame: frame)
        return Array(buffer.readableBytesView)
    }
}
