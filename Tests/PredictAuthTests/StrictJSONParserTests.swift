@testable import PredictAuth
import Testing

/// The strict parser accepts RFC 8259 JSON objects and nothing looser.
@Suite struct StrictJSONParserTests {
    static func parse(_ text: String) throws(StrictJSONParser.SyntaxError) -> [String: JSONValue] {
        try StrictJSONParser.parseObject(Array(text.utf8))
    }

    static func refuses(_ bytes: [UInt8]) -> Bool {
        (try? StrictJSONParser.parseObject(bytes)) == nil
    }

    @Test func everyKindOfValueIsRead() throws {
        let members = try Self.parse(#" { "s" : "x" , "n" : -1.5e2, "z": 0, "t": true, "f": false, "u": null, "a": [1, [], {}], "o": {"k": "v"} } "#)
        #expect(members == [
            "s": .string("x"), "n": .number(-150), "z": .number(0), "t": .bool(true), "f": .bool(false), "u": .null,
            "a": .array([.number(1), .array([]), .object([:])]), "o": .object(["k": .string("v")]),
        ])
    }

    @Test func escapesAreDecoded() throws {
        let members = try Self.parse(#"{"e":"\"\\\/\b\f\n\r\t\u00e9\u0000\ud83d\ude00"}"#)
        #expect(members["e"] == .string("\"\\/\u{8}\u{c}\n\r\té\u{0}😀"))
    }

    @Test func rawUTF8IsKept() throws {
        #expect(try Self.parse(#"{"e":"é😀中"}"#)["e"] == .string("é😀中"))
    }

    @Test(arguments: [#"\ud800"#, #"\udfff"#, #"\ude00\ud83d"#, #"\ud83d\u0041"#, #"\ud83d"# + "x", #"\u00g0"#, #"\u00"#, #"\a"#, #"\'"#, #"\"#])
    func badEscapesAreRefused(_ escape: String) {
        #expect(Self.refuses(Array((#"{"e":""# + escape + #""}"#).utf8)))
    }

    @Test(arguments: [[0xFF], [0xFE], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x9F, 0xBF], [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xE2, 0x82], [0xBF]] as [[UInt8]])
    func invalidUTF8IsRefused(_ bytes: [UInt8]) {
        #expect(Self.refuses(Array(#"{"e":""#.utf8) + bytes + Array(#""}"#.utf8)))
        #expect(Self.refuses(Array(#"{""#.utf8) + bytes + Array(#"":1}"#.utf8)))
    }

    @Test func controlCharactersMustBeEscaped() {
        for control in 0..<0x20 {
            #expect(Self.refuses(Array(#"{"e":""#.utf8) + [UInt8(control)] + Array(#""}"#.utf8)), "\(control)")
        }
        #expect(!Self.refuses(Array(#"{"e":"\u001f"}"#.utf8)))
    }

    @Test(arguments: [
        #"{"a":1,"a":1}"#, #"{"a":1,"b":{"c":1,"c":2}}"#, #"{"a":1,"\u0061":2}"#, #"{"a":[{"x":1,"x":1}]}"#, #"{"":1,"":2}"#,
    ])
    func duplicateMemberNamesAreRefused(_ text: String) {
        #expect(Self.refuses(Array(text.utf8)))
    }

    @Test func nestingIsLimitedTo32() {
        func nested(_ depth: Int) -> String {
            #"{"a":"# + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "}"
        }
        #expect(!Self.refuses(Array(nested(32).utf8)))
        #expect(Self.refuses(Array(nested(33).utf8)))
        #expect(Self.refuses(Array(nested(100_000).utf8)))
    }

    @Test(arguments: [
        "01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "1_000", "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "١",
    ])
    func invalidNumbersAreRefused(_ number: String) {
        #expect(Self.refuses(Array(#"{"n":\#(number)}"#.utf8)))
    }

    @Test(arguments: [("0", 0.0), ("-0", -0.0), ("1E2", 100), ("1e-2", 0.01), ("1750000000.25", 1_750_000_000.25), ("1.7976931348623157e308", .greatestFiniteMagnitude)])
    func validNumbersAreRead(_ number: String, _ value: Double) throws {
        #expect(try Self.parse(#"{"n":\#(number)}"#)["n"] == .number(value))
    }

    @Test(arguments: [
        "", " ", "[]", "\"x\"", "1", "null", "{", "}", #"{"a"}"#, #"{"a":}"#, #"{"a":1,}"#, #"{,"a":1}"#, #"{"a":1 "b":2}"#,
        #"{a:1}"#, #"{'a':1}"#, #"{"a":tru}"#, #"{"a":truex}"#, #"{"a":nul}"#, #"{"a":[1,]}"#, #"{"a":[,1]}"#,
        #"{"a":1}x"#, #"{"a":1}{}"#, #"{"a":1}/**/"#, "\u{FEFF}{}", "{}\u{0}", #"{"a":1}"# + "\u{A0}", "{\"a\":\u{C}1}",
    ])
    func invalidDocumentsAreRefused(_ text: String) {
        #expect(Self.refuses(Array(text.utf8)))
    }

    @Test func insignificantWhitespaceIsAllowed() throws {
        #expect(try Self.parse(" \t\r\n{ \t\r\n\"a\" \t\r\n: \t\r\n[ 1 , 2 ] \t\r\n} \t\r\n")["a"] == .array([.number(1), .number(2)]))
    }

    @Test func errorsNameTheRuleNotTheContent() {
        do {
            _ = try Self.parse(#"{"secret-name":1,"secret-name":2}"#)
            Issue.record("accepted a duplicate")
        } catch {
            #expect(error.reason == "duplicate member name")
        }
    }
}
