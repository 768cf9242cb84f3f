import PredictProtocol
import PredictServing

extension StatusCode {
    /// The one place a serving-core error becomes a wire status. `ServingError.Code` uses
    /// PROTOCOL.md's gRPC numbers, so the mapping is by number; a test checks every case.
    init(_ code: ServingError.Code) {
        guard let status = StatusCode(rawValue: code.rawValue) else {
            preconditionFailure("ServingError.Code \(code) has no PROTOCOL.md status")
        }
        self = status
    }
}

extension Predict_V1_Result {
    /// A Result carrying only an error status.
    init(_ error: ServingError) {
        self.init()
        status = Predict_V1_Status(StatusCode(error.code), error.message)
    }

    init(_ status: ConnectionStatus) {
        self.init()
        self.status = Predict_V1_Status(status.code, status.message)
    }
}
