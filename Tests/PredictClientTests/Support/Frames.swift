import PredictProtocol

/// The frames a fake server sends, built in one line each.
extension Predict_V1_Frame {
    static func welcome(maxFrameBytes: UInt32 = 4 * 1024 * 1024, maxConcurrentCalls: UInt32 = 1024) -> Predict_V1_Frame {
        var welcome = Predict_V1_Welcome()
        welcome.protocolVersion = 1
        welcome.maxFrameBytes = maxFrameBytes
        welcome.maxConcurrentCalls = maxConcurrentCalls
        welcome.server = "fake/1"
        var frame = Predict_V1_Frame()
        frame.welcome = welcome
        return frame
    }

    static func result(callID: UInt64, _ result: Predict_V1_Result) -> Predict_V1_Frame {
        var frame = Predict_V1_Frame()
        frame.callID = callID
        frame.result = result
        return frame
    }

    static func goAway(lastCallID: UInt64, _ status: Predict_V1_Status = .ok) -> Predict_V1_Frame {
        var goAway = Predict_V1_GoAway()
        goAway.lastCallID = lastCallID
        goAway.status = status
        var frame = Predict_V1_Frame()
        frame.goAway = goAway
        return frame
    }

    static func ping(opaque: UInt64) -> Predict_V1_Frame {
        var ping = Predict_V1_Ping()
        ping.opaque = opaque
        var frame = Predict_V1_Frame()
        frame.ping = ping
        return frame
    }

    /// The Call this frame carries, or an empty one.
    var callMessage: Predict_V1_Call {
        if case .call(let call) = kind { call } else { Predict_V1_Call() }
    }

    /// The model a model_metadata Call asks about.
    var metadataModel: String {
        if case .modelMetadata(let request) = callMessage.request { request.name } else { "" }
    }
}

extension Predict_V1_Result {
    /// An error Result.
    static func failure(_ code: StatusCode, _ message: String) -> Predict_V1_Result {
        var result = Predict_V1_Result()
        result.status = Predict_V1_Status(code, message)
        return result
    }
}
