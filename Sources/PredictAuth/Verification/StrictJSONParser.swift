/// A JSON (RFC 8259) parser that accepts exactly one spelling of a document's meaning, for
/// token headers, claims and JWKS documents.
///
/// Stricter than Foundation's on purpose: a duplicate member name anywhere is an error (parsers
/// disagree on which one wins, and a signed token must mean one thing to everyone who reads it),
/// as are invalid UTF-8, unpaired surrogate escapes, raw control characters, trailing data,
/// numbers a `Double` cannot hold, and nesting deeper than ``maximumDepth``.
struct StrictJSONParser {
    /// Why a document was refused; names the rule, never the content.
    struct SyntaxError: Error, Sendable, Equatable {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// Objects and arrays nested deeper than this are refused: real headers and claims nest two
    /// or three levels, and the limit keeps recursion bounded.
    static let maximumDepth = 32

    /// The members of the JSON object that is the whole of `bytes`.
    static func parseObject(_ bytes: [UInt8]) throws(SyntaxError) -> [String: JSONValue] {
        var parser = StrictJSONParser(bytes: bytes)
        parser.skipWhitespace()
        guard parser.peek == UInt8(ascii: "{") else { throw SyntaxError("not a JSON object") }
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw SyntaxError("trailing data after the JSON object") }
        guard case .object(let members) = value else { throw SyntaxError("not a JSON object") }
        return members
    }

    private let bytes: [UInt8]
    private var position = 0

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private var peek: UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            position += 1
        }
    }

    private mutating func parseValue(depth: Int) throws(SyntaxError) -> JSONValue {
        skipWhitespace()
        guard let byte = peek else { throw SyntaxError("unexpected end of JSON") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw SyntaxError("unexpected character in JSON")
        }
    }

    private mutating func parseObject(depth: Int) throws(SyntaxError) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw SyntaxError("JSON nested too deeply") }
        position += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else { throw SyntaxError("expected a member name") }
            let name = try parseString()
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw SyntaxError("expected ':' after a member name") }
            position += 1
            let value = try parseValue(depth: depth)
            guard members.updateValue(value, forKey: name) == nil else {
                throw SyntaxError("duplicate member name")
            }
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return .object(members)
            default: throw SyntaxError("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(SyntaxError) -> JSONValue {
        guard depth <= Self.maximumDepth else { throw SyntaxError("JSON nested too deeply") }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .array(elements)
            default: throw SyntaxError("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(SyntaxError) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else { throw SyntaxError("unexpected end of JSON") }
        let matches = literal.withUTF8Buffer { expected in
            expected.elementsEqual(bytes[position..<position + count])
        }
        guard matches else { throw SyntaxError("unexpected character in JSON") }
        position += count
    }

    private mutating func parseString() throws(SyntaxError) -> String {
        position += 1
        let start = position
        // Fast path: most strings have no escapes and are one slice of the input.
        while let byte = peek, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 {
            position += 1
        }
        var utf8 = Array(bytes[start..<position])
        while true {
            guard let byte = peek else { throw SyntaxError("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let string = String(validating: utf8, as: UTF8.self) else {
                    throw SyntaxError("invalid UTF-8 in a string")
                }
                return string
            case UInt8(ascii: "\\"):
                position += 1
                try parseEscape(into: &utf8)
            case 0..<0x20:
                throw SyntaxError("unescaped control character in a string")
            default:
                utf8.append(byte)
                position += 1
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(SyntaxError) {
        guard let escape = peek else { throw SyntaxError("unterminated string") }
        position += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            let first = try parseHexQuad()
            var scalar = first
            switch first {
            case 0xD800...0xDBFF:
                guard peek == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                    throw SyntaxError("unpaired surrogate escape")
                }
                position += 2
                let second = try parseHexQuad()
                guard (0xDC00...0xDFFF).contains(second) else { throw SyntaxError("unpaired surrogate escape") }
                scalar = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            case 0xDC00...0xDFFF:
                throw SyntaxError("unpaired surrogate escape")
            default:
                break
            }
            Self.appendUTF8(of: scalar, to: &utf8)
        default:
            throw SyntaxError("invalid escape in a string")
        }
    }

    private mutating func parseHexQuad() throws(SyntaxError) -> UInt32 {
        guard bytes.count - position >= 4 else { throw SyntaxError("unterminated string") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw SyntaxError("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// `scalar` (not a surrogate, at most U+10FFFF) as UTF-8.
    private static func appendUTF8(of scalar: UInt32, to utf8: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            utf8.append(UInt8(scalar))
        case 0x80..<0x800:
            utf8.append(UInt8(0xC0 | scalar >> 6))
            utf8.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            utf8.append(UInt8(0xE0 | scalar >> 12))
            utf8.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            utf8.append(UInt8(0x80 | scalar & 0x3F))
        default:
            utf8.append(UInt8(0xF0 | scalar >> 18))
            utf8.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            utf8.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            utf8.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    private mutating func parseNumber() throws(SyntaxError) -> Double {
        let start = position
        if peek == UInt8(ascii: "-") { position += 1 }
        // 0 stands for the end of input, which no branch accepts.
        switch peek ?? 0 {
        case UInt8(ascii: "0"):
            position += 1
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            skipDigits()
        default:
            throw SyntaxError("invalid number")
        }
        if peek == UInt8(ascii: ".") {
            position += 1
            guard skipDigits() > 0 else { throw SyntaxError("invalid number") }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            position += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { position += 1 }
            guard skipDigits() > 0 else { throw SyntaxError("invalid number") }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw SyntaxError("number out of range") }
        return value
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = position
        while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            position += 1
        }
        return position - start
    }
}
