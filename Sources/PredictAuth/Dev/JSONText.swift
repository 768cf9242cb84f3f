/// The little JSON the dev minter writes (token headers, claims, a JWKS), built as text.
struct JSONText {
    private(set) var text = "{"

    /// Appends member `name` with a string value.
    mutating func append(_ name: String, _ value: String) {
        appendName(name)
        Self.appendQuoted(value, to: &text)
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
        Self.appendQuoted(name, to: &text)
        text += ":"
    }

    private static func appendQuoted(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
