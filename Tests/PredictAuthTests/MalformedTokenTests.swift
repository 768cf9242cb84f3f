import Foundation
import PredictAuth
import Testing

/// Only the canonical compact form is read: three non-empty strict base64url segments, headers
/// and claims that are strict JSON objects.
@Suite struct MalformedTokenTests {
    static var valid: String { TokenForge.valid(.es256) }
    static var parts: [Substring] { TokenForge.segments(valid) }

    @Test func aTokenOverTheSizeLimitIsRefusedBeforeParsing() {
        expectRejected(String(repeating: "a", count: 8193), .tooLarge)
        expectRejected(Self.valid + "." + String(repeating: "A", count: 8192), .tooLarge)
        // Bytes, not characters, are counted.
        expectRejected(String(repeating: "é", count: 4097), .tooLarge)
    }

    @Test func aTokenAtTheSizeLimitIsParsed() {
        expectRejected(String(repeating: "a", count: 8192), .malformed)
    }

    @Test func aTokenWithTooFewOrTooManySegmentsIsRefused() {
        let parts = Self.parts
        expectRejected("", .malformed)
        expectRejected(String(parts[0]), .malformed)
        expectRejected(parts[0] + "." + parts[1], .malformed)
        expectRejected(Self.valid + "." + parts[2], .malformed)
        expectRejected(Self.valid + ".", .malformed)
        expectRejected("..", .malformed)
        expectRejected("...", .malformed)
    }

    @Test func anEmptyHeaderOrClaimsSegmentIsRefused() {
        let parts = Self.parts
        expectRejected("." + parts[1] + "." + parts[2], .malformed)
        expectRejected(parts[0] + ".." + parts[2], .malformed)
    }

    @Test func paddingIsRefused() {
        let parts = Self.parts
        // Pad whichever segment has a length padding would apply to; the header always does here.
        for (index, part) in parts.enumerated() where part.count % 4 != 0 {
            var padded = parts
            padded[index] = part + String(repeating: "=", count: 4 - part.count % 4)
            expectRejected(padded.joined(separator: "."), .malformed)
        }
        expectRejected(parts[0] + "==." + parts[1] + "." + parts[2], .malformed)
    }

    @Test func standardBase64CharactersAreRefused() {
        let parts = Self.parts
        for (from, to) in [("-", "+"), ("_", "/")] {
            for index in 0..<3 where parts[index].contains(from) {
                var changed = parts
                changed[index] = Substring(parts[index].replacingOccurrences(of: from, with: to))
                expectRejected(changed.joined(separator: "."), .malformed)
            }
        }
        expectRejected(parts[0] + "." + parts[1] + "+." + parts[2], .malformed)
        expectRejected(parts[0] + "/." + parts[1] + "." + parts[2], .malformed)
    }

    @Test func whitespaceAnywhereIsRefused() {
        let valid = Self.valid
        let parts = Self.parts
        expectRejected(" " + valid, .malformed)
        expectRejected(valid + "\n", .malformed)
        expectRejected(valid + " ", .malformed)
        expectRejected("Bearer " + valid, .malformed)
        expectRejected(parts[0] + " ." + parts[1] + "." + parts[2], .malformed)
        expectRejected(parts[0] + ".\t" + parts[1] + "." + parts[2], .malformed)
        expectRejected(parts[0] + "." + parts[1].prefix(8) + "\r\n" + parts[1].dropFirst(8) + "." + parts[2], .malformed)
    }

    @Test func nonASCIICharactersAreRefused() {
        let parts = Self.parts
        expectRejected(parts[0] + "." + parts[1] + "é." + parts[2], .malformed)
        expectRejected(parts[0] + "\u{FF0E}" + parts[1] + "." + parts[2], .malformed)
    }

    @Test func aLengthThatIsOneModuloFourIsRefused() {
        let parts = Self.parts
        var header = parts[0]
        while header.count % 4 != 1 { header.append("A") }
        expectRejected(header + "." + parts[1] + "." + parts[2], .malformed)
    }

    @Test func nonCanonicalTrailingBitsAreRefused() {
        // "eyJ" + "hbGciOiJFUzI1NiJ9" style: flip the unused low bits of the last character.
        let header = Array(TokenForge.header("ES256", kid: TestKeys.ecKeyID).json.utf8)
        try! #require(header.count % 3 != 0)
        var text = Base64URLText.encode(header)
        let last = text.removeLast()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let value = alphabet.firstIndex(of: last)!
        text.append(alphabet[value | 1])
        let token = text + "." + Self.parts[1] + "." + Self.parts[2]
        expectRejected(token, .malformed)
    }

    static let signer = Signer.es256(TestKeys.ec)

    @Test(arguments: ["not json", "", "null", "1", "\"ES256\"", "true", #"["alg","ES256"]"#, #"[{"alg":"ES256","kid":"ec-p256"}]"#])
    func aHeaderThatIsNotAJSONObjectIsRefused(_ header: String) {
        expectRejected(TokenForge.token(headerJSON: header, claimsJSON: Fixture.claims.json, signer: Self.signer), .malformed)
    }

    @Test(arguments: ["x", " x", "}", ",", "{}", "\u{0}", "//"])
    func trailingDataAfterTheHeaderIsRefused(_ garbage: String) {
        let header = TokenForge.header("ES256", kid: TestKeys.ecKeyID).json + garbage
        expectRejected(TokenForge.token(headerJSON: header, claimsJSON: Fixture.claims.json, signer: Self.signer), .malformed)
    }

    @Test func whitespaceAroundTheHeaderJSONIsAllowed() {
        let header = " \n\t" + TokenForge.header("ES256", kid: TestKeys.ecKeyID).json + "\r\n "
        expectAccepted(TokenForge.token(headerJSON: header, claimsJSON: Fixture.claims.json, signer: Self.signer))
    }

    @Test func anEmptyHeaderObjectHasNoAlgorithm() {
        expectRejected(TokenForge.token(headerJSON: "{}", claimsJSON: Fixture.claims.json, signer: Self.signer), .unsupportedAlgorithm)
    }

    @Test(arguments: [
        [0xFF], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
    ] as [[UInt8]])
    func invalidUTF8InTheHeaderIsRefused(_ bytes: [UInt8]) {
        let prefix = Array(#"{"alg":"ES256","kid":"ec-p256","x":""#.utf8)
        let header = prefix + bytes + Array(#""}"#.utf8)
        expectRejected(TokenForge.token(headerBytes: header, claimsBytes: Array(Fixture.claims.json.utf8), signer: Self.signer), .malformed)
    }

    @Test func invalidUTF8InSignedClaimsIsRefused() {
        let claims = Array(Fixture.claims.json.dropLast().utf8) + Array(#","name":""#.utf8) + [0xC0, 0x80] + Array(#""}"#.utf8)
        expectRejected(TokenForge.token(headerBytes: Array(TokenForge.header("ES256", kid: TestKeys.ecKeyID).json.utf8), claimsBytes: claims, signer: Self.signer), .malformed)
    }

    @Test(arguments: [#"\ud800"#, #"\udc00"#, #"\udc00\ud800"#, #"\ud800x"#, #"\ud800\u0041"#, #"\x41"#, #"\u12"#, #"\U0041"#, "\u{1}", "\n"])
    func badEscapesAndControlCharactersInTheHeaderAreRefused(_ content: String) {
        let header = #"{"alg":"ES256","kid":"ec-p256","x":""# + content + #""}"#
        expectRejected(TokenForge.token(headerJSON: header, claimsJSON: Fixture.claims.json, signer: Self.signer), .malformed)
    }

    @Test func deeplyNestedJSONIsRefused() {
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        let header = TokenForge.header("ES256", kid: TestKeys.ecKeyID).setting("x", .raw(deep))
        expectRejected(TokenForge.token(header: header, signer: Self.signer), .malformed)
        let deepObject = String(repeating: #"{"a":"#, count: 40) + "1" + String(repeating: "}", count: 40)
        expectRejected(TokenForge.es256(Fixture.claims.setting("x", .raw(deepObject))), .malformed)
        // Pathological depth does not exhaust the stack: it stops at the limit.
        let huge = String(repeating: "[", count: 3000)
        expectRejected(TokenForge.token(header: TokenForge.header("ES256", kid: TestKeys.ecKeyID).setting("x", .raw(huge)), signer: Self.signer), .malformed)
    }

    @Test func nestingWithinTheLimitIsAccepted() {
        // The claims object is level 1, so 31 more levels make 32.
        let nested = String(repeating: "[", count: 31) + String(repeating: "]", count: 31)
        expectAccepted(TokenForge.es256(Fixture.claims.setting("x", .raw(nested))))
        let tooDeep = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        expectRejected(TokenForge.es256(Fixture.claims.setting("x", .raw(tooDeep))), .malformed)
    }

    @Test(arguments: ["not json", "[]", #"{"iss":"x"} trailing"#, "", #"{"exp":1,}"#, #"{'sub':'x'}"#])
    func signedClaimsThatAreNotAStrictJSONObjectAreRefused(_ claims: String) {
        let token = TokenForge.token(headerJSON: TokenForge.header("ES256", kid: TestKeys.ecKeyID).json, claimsJSON: claims, signer: Self.signer)
        expectRejected(token, .malformed)
    }
}
