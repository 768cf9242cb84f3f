import PredictProtocol

/// The little JSON the dev minter writes (token headers, claims, a JWKS), built as text.
struct JSONText {
    private(set) var text = "{"

    /// Appends member `name` with a string value.
    mutating func append(_ name: String, _ value: String) {
        appendName(name)
        JSONStringLiteral.append(value, to: &text)
    }

    /// Appends member `name` with an integer value.
    mutating func append(_ name: String, _ value: Int) {
        appendName(name)
        text += String(value)
    }

    /// Appends member `name` with a boolean value.
    mutating func append(_ name: String, _ value: Bool) {
        appendName(name)
        text += value ? "true" : "false"
    }

    /// Appends member `name` with `json`, already JSON.
    mutating func append(_ name: String, json: String) {
        appendName(name)
        text += json
    }

    /// The object, closed.
    var closed: String { text + "}" }

    private mutating func appendName(_ name: String) {
        if text != "{" { text += "," }
        JSONStringLiteral.append(name, to: &text)
        text += ":"
    }
}
