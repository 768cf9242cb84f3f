import Crypto
import Foundation
import PredictAuth
import Testing

/// Header parameters that would make the token choose its own key, or extensions the verifier
/// would have to understand (`crit`), refuse the token.
@Suite struct HeaderInjectionTests {
    static var attackerJWK: String {
        TestKeys.ecJWK(TestKeys.attackerEC.publicKey, keyID: TestKeys.ecKeyID, alg: "ES256")
    }

    static var attackerCertificate: String {
        // Any base64 DER: the content never matters, only that the parameter is present.
        Base64URLText.encode(Array(TestKeys.attackerEC.publicKey.derRepresentation))
    }

    static var injections: [(String, JSONLiteral)] {
        [
            ("jwk", .raw(attackerJWK)),
            ("jku", "https://attacker.example/jwks.json"),
            ("x5u", "https://attacker.example/cert.pem"),
            ("x5c", .strings([attackerCertificate])),
        ]
    }

    @Test func anEmbeddedAttackerKeySigningTheTokenIsRefused() {
        for (name, value) in Self.injections {
            for kid in [TestKeys.ecKeyID, "attacker"] {
                let header = TokenForge.header("ES256", kid: kid).setting(name, value)
                expectRejected(TokenForge.token(header: header, signer: .es256(TestKeys.attackerEC)), .malformed)
            }
        }
    }

    @Test func anEmbeddedKeyIsRefusedEvenOnAnOtherwiseValidToken() {
        for (name, value) in Self.injections {
            let header = TokenForge.header("ES256", kid: TestKeys.ecKeyID).setting(name, value)
            expectRejected(TokenForge.token(header: header, signer: .es256(TestKeys.ec)), .malformed)
        }
    }

    @Test func anEmbeddedKeyWithoutAKeyIDIsRefused() {
        let header: JSONMembers = ["alg": "ES256", "jwk": .raw(Self.attackerJWK)]
        expectRejected(TokenForge.token(header: header, signer: .es256(TestKeys.attackerEC)), .malformed)
    }

    @Test(arguments: [JSONLiteral.strings(["exp"]), .strings([]), .strings(["b64"]), .string("exp"), .raw("null")])
    func aCritHeaderIsRefused(_ crit: JSONLiteral) {
        let header = TokenForge.header("ES256", kid: TestKeys.ecKeyID).setting("crit", crit).setting("b64", false)
        expectRejected(TokenForge.token(header: header, signer: .es256(TestKeys.ec)), .criticalHeader)
    }

    @Test(arguments: [JSONLiteral.string("at+jwt"), "JWS", "application/jwt", "", .int(1), .raw("null")])
    func aTypOtherThanJWTIsRefused(_ typ: JSONLiteral) {
        let header = TokenForge.header("ES256", kid: TestKeys.ecKeyID).setting("typ", typ)
        expectRejected(TokenForge.token(header: header, signer: .es256(TestKeys.ec)), .malformed)
    }

    @Test func aNestedTokenContentTypeIsRefused() {
        let header = TokenForge.header("ES256", kid: TestKeys.ecKeyID).setting("cty", "JWT")
        expectRejected(TokenForge.token(header: header, signer: .es256(TestKeys.ec)), .malformed)
    }
}
