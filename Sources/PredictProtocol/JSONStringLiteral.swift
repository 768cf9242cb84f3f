/// JSON string literals (RFC 8259), for the small bits of JSON the server and the client write
/// by hand: class label parameters, the CLI's output lines.
public enum JSONStringLiteral {
    /// `value` quoted, with quote, backslash and control characters escaped.
    public static func quoted(_ value: String) -> String {
        var text = ""
        append(value, to: &text)
        return text
    }

    /// Appends `value` quoted and escaped to `text`.
    public static func append(_ value: String, to text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
