extension Predict_V1_Status {
    /// A status with a known code and a message for a person.
    public init(_ code: StatusCode, _ message: String = "") {
        self.init()
        self.code = code.rawValue
        self.message = message
    }

    /// The OK status, as a successful `Result` or a draining `GoAway` carries.
    public static var ok: Predict_V1_Status { Predict_V1_Status(.ok) }

    /// The code as a ``StatusCode``; `nil` for a number PROTOCOL.md does not use.
    public var statusCode: StatusCode? { StatusCode(rawValue: code) }
}
