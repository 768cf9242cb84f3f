import Crypto
import Foundation
import PredictAuth
import Testing
import _CryptoExtras

/// A JWKS is read entry by entry: unusable entries are skipped with a warning and never spoil
/// the rest; only a document that is not a JWKS at all is an error.
@Suite struct KeySetTests {
    static let ecJWK = TestKeys.ecJWK(TestKeys.ec.publicKey, keyID: "good", alg: "ES256")

    /// The key set of a JWKS holding `entries` and then the good EC key.
    static func keySet(beside entries: String...) throws -> KeySet {
        try KeySet(jwks: Data((#"{"keys":["# + (entries + [ecJWK]).joined(separator: ",") + "]}").utf8))
    }

    @Test func theProductionJWKSHasItsThreeGoodKeysAndAWarningForTheWeakOne() {
        let keys = TestKeys.keySet
        #expect(Set(keys.keys.keys) == [TestKeys.rsaKeyID, TestKeys.pssKeyID, TestKeys.ecKeyID])
        #expect(keys.keys[TestKeys.rsaKeyID]?.algorithm == .rs256)
        #expect(keys.keys[TestKeys.pssKeyID]?.algorithm == .ps256)
        #expect(keys.keys[TestKeys.ecKeyID]?.algorithm == .es256)
        #expect(keys.warnings.count == 1)
        #expect(keys.warnings.first?.contains(TestKeys.weakKeyID) == true)
        #expect(keys.warnings.first?.contains("1024 bits") == true)
    }

    @Test func aWeakKeyBesideAGoodOneLeavesTheGoodOneWorking() throws {
        let weak = TestKeys.rsaJWK(TestKeys.weakRSA.publicKey, keyID: "weak", alg: "RS256")
        let keys = try Self.keySet(beside: weak)
        #expect(keys.keys.keys.sorted() == ["good"])
        #expect(keys.warnings.count == 1)
        expectAccepted(TokenForge.token(header: TokenForge.header("ES256", kid: "good"), signer: .es256(TestKeys.ec)), keys: keys)
        expectRejected(TokenForge.token(header: TokenForge.header("RS256", kid: "weak"), signer: .rs256(TestKeys.weakRSA)), .unknownKeyID, keys: keys)
    }

    @Test func anRSAKeyWithoutAlgIsRS256Only() throws {
        let keys = try Self.keySet(beside: TestKeys.rsaJWK(TestKeys.rsa.publicKey, keyID: "no-alg", alg: nil))
        #expect(keys.keys["no-alg"]?.algorithm == .rs256)
        expectAccepted(TokenForge.token(header: TokenForge.header("RS256", kid: "no-alg"), signer: .rs256(TestKeys.rsa)), keys: keys)
        expectRejected(TokenForge.token(header: TokenForge.header("PS256", kid: "no-alg"), signer: .ps256(TestKeys.rsa)), .unsupportedAlgorithm, keys: keys)
    }

    @Test func anECKeyWithoutAlgIsES256() throws {
        let keys = try Self.keySet(beside: TestKeys.ecJWK(TestKeys.attackerEC.publicKey, keyID: "no-alg", alg: nil))
        #expect(keys.keys["no-alg"]?.algorithm == .es256)
    }

    static var rsaModulus: String {
        Base64URLText.encode(try! TestKeys.rsa.publicKey.getKeyPrimitives().modulus)
    }

    static var ecPoint: (x: String, y: String) {
        let point = Array(TestKeys.attackerEC.publicKey.x963Representation)
        return (Base64URLText.encode(point[1..<33]), Base64URLText.encode(point[33..<65]))
    }

    /// Entries that must be skipped, each with a word its warning must contain.
    static var unusableEntries: [(String, String)] {
        let n = rsaModulus
        let (x, y) = ecPoint
        return [
            (#"{"kty":"oct","kid":"hmac","k":"c2VjcmV0"}"#, "private"),
            (#"{"kty":"oct","kid":"hmac","alg":"HS256"}"#, "alg"),
            (#"{"kty":"oct","kid":"hmac"}"#, "kty"),
            (#"{"kty":"OKP","kid":"ed","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#, "kty"),
            (#"{"kid":"no-kty","n":"\#(n)","e":"AQAB"}"#, "kty"),
            (#"{"kty":"RSA","n":"\#(n)","e":"AQAB"}"#, "kid"),
            (#"{"kty":"RSA","kid":"","n":"\#(n)","e":"AQAB"}"#, "kid"),
            (#"{"kty":"RSA","kid":7,"n":"\#(n)","e":"AQAB"}"#, "kid"),
            (#"{"kty":"RSA","kid":"enc","use":"enc","n":"\#(n)","e":"AQAB"}"#, "use"),
            (#"{"kty":"RSA","kid":"ops","key_ops":["encrypt"],"n":"\#(n)","e":"AQAB"}"#, "key_ops"),
            (#"{"kty":"RSA","kid":"rs512","alg":"RS512","n":"\#(n)","e":"AQAB"}"#, "alg"),
            (#"{"kty":"RSA","kid":"oaep","alg":"RSA-OAEP","n":"\#(n)","e":"AQAB"}"#, "alg"),
            (#"{"kty":"RSA","kid":"as-ec","alg":"ES256","n":"\#(n)","e":"AQAB"}"#, "alg"),
            (#"{"kty":"RSA","kid":"zero","n":"AA\#(n)","e":"AQAB"}"#, "n is not"),
            (#"{"kty":"RSA","kid":"padded","n":"\#(n)==","e":"AQAB"}"#, "n is not"),
            (#"{"kty":"RSA","kid":"std64","n":"\#(n.replacingOccurrences(of: "_", with: "/").replacingOccurrences(of: "-", with: "+"))x/+","e":"AQAB"}"#, "n is not"),
            (#"{"kty":"RSA","kid":"no-e","n":"\#(n)"}"#, "e is not"),
            (#"{"kty":"RSA","kid":"even-e","n":"\#(n)","e":"AQAA"}"#, "exponent"),
            (#"{"kty":"RSA","kid":"e-one","n":"\#(n)","e":"AQ"}"#, "exponent"),
            (#"{"kty":"RSA","kid":"private","n":"\#(n)","e":"AQAB","d":"AQAB"}"#, "private"),
            (#"{"kty":"EC","kid":"p384","crv":"P-384","x":"\#(x)","y":"\#(y)"}"#, "crv"),
            (#"{"kty":"EC","kid":"short","crv":"P-256","x":"\#(x.dropLast(2))","y":"\#(y)"}"#, "coordinates"),
            (#"{"kty":"EC","kid":"off-curve","crv":"P-256","x":"\#(x)","y":"\#(x)"}"#, "P-256"),
            (#"{"kty":"EC","kid":"as-rsa","crv":"P-256","alg":"RS256","x":"\#(x)","y":"\#(y)"}"#, "alg"),
            (#"{"kty":"EC","kid":"private","crv":"P-256","x":"\#(x)","y":"\#(y)","d":"AQAB"}"#, "private"),
            (#""just a string""#, "object"),
            ("[]", "object"),
        ]
    }

    @Test func unusableEntriesAreSkippedWithAWarningAndTheGoodKeyStillWorks() throws {
        for (entry, word) in Self.unusableEntries {
            let keys = try Self.keySet(beside: entry)
            #expect(keys.keys.keys.sorted() == ["good"], "\(entry)")
            #expect(keys.warnings.count == 1, "\(entry)")
            #expect(keys.warnings.first?.contains(word) == true, "\(keys.warnings) for \(entry)")
        }
    }

    @Test func everyEntrySharingAKeyIDIsSkipped() throws {
        let first = TestKeys.ecJWK(TestKeys.ec.publicKey, keyID: "shared", alg: nil)
        let second = TestKeys.ecJWK(TestKeys.attackerEC.publicKey, keyID: "shared", alg: nil)
        let keys = try Self.keySet(beside: first, second)
        #expect(keys.keys.keys.sorted() == ["good"])
        #expect(keys.warnings == [#"kid "shared" skipped: 2 keys share it"#])
        expectRejected(TokenForge.token(header: TokenForge.header("ES256", kid: "shared"), signer: .es256(TestKeys.attackerEC)), .unknownKeyID, keys: keys)
    }

    @Test func keysGivenDirectlyFollowTheSameRules() throws {
        let keys = KeySet(keys: [
            VerificationKey(keyID: "a", es256: TestKeys.ec.publicKey),
            VerificationKey(keyID: "a", es256: TestKeys.attackerEC.publicKey),
            VerificationKey(keyID: "", es256: TestKeys.ec.publicKey),
            try VerificationKey(keyID: "r", rs256: TestKeys.rsa.publicKey),
        ])
        #expect(keys.keys.keys.sorted() == ["r"])
        #expect(keys.warnings.count == 2)
    }

    @Test func aWeakRSAKeyCannotBeMadeDirectly() {
        #expect(throws: KeySetError.self) { try VerificationKey(keyID: "w", rs256: TestKeys.weakRSA.publicKey) }
        #expect(throws: KeySetError.self) { try VerificationKey(keyID: "w", ps256: TestKeys.weakRSA.publicKey) }
    }

    @Test func warningsEscapeWhatTheyQuote() throws {
        let keys = try Self.keySet(beside: #"{"kty":"oct","kid":"evil\n\u001b[31m\"kid"}"#)
        let warning = try #require(keys.warnings.first)
        #expect(!warning.contains("\n"))
        #expect(!warning.contains("\u{1b}"))
        #expect(warning.contains(#"evil\u{a}\u{1b}[31m\u{22}kid"#))
    }

    @Test(arguments: ["", "not json", "[]", "{}", #"{"keys":{}}"#, #"{"keys":"x"}"#, #"{"keys":null}"#, #"{"keys":[],"keys":[]}"#, #"{"keys":[]} x"#, "\u{FEFF}{\"keys\":[]}"])
    func aDocumentThatIsNotAJWKSIsAnError(_ document: String) {
        #expect(throws: KeySetError.self) { try KeySet(jwks: Data(document.utf8)) }
    }

    @Test func anEmptyJWKSIsAnEmptyKeySet() throws {
        let keys = try KeySet(jwks: Data(#"{"keys":[]}"#.utf8))
        #expect(keys.keys.isEmpty)
        #expect(keys.warnings.isEmpty)
    }

    @Test func membersBesideKeysAndInsideKeysAreIgnored() throws {
        let entry = #"{"kty":"EC","crv":"P-256","kid":"x","use":"sig","key_ops":["verify"],"x5t":"abc","ext":true,"#
            + #""x":"\#(Self.ecPoint.x)","y":"\#(Self.ecPoint.y)"}"#
        let keys = try KeySet(jwks: Data(#"{"issuer":"me","keys":[\#(entry)]}"#.utf8))
        #expect(keys.keys.keys.sorted() == ["x"])
        #expect(keys.warnings.isEmpty)
    }
}
