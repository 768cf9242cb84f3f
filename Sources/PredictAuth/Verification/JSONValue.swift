/// A JSON value as ``StrictJSONParser`` reads it: what token headers, claims and JWKS documents
/// are made of.
indirect enum JSONValue: Sendable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    /// Always finite: the parser refuses numbers a `Double` cannot hold.
    case number(Double)
    case bool(Bool)
    case null

    var string: String? {
        if case .string(let value) = self { value } else { nil }
    }

    var number: Double? {
        if case .number(let value) = self { value } else { nil }
    }

    var array: [JSONValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    var object: [String: JSONValue]? {
        if case .object(let value) = self { value } else { nil }
    }
}
