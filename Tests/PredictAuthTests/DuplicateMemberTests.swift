import PredictAuth
import Testing

/// A member name twice, anywhere in the header or the claims, refuses the token: parsers disagree
/// on which one wins, so a duplicate can mean one thing to the verifier and another to whoever
/// reads the token next.
@Suite struct DuplicateMemberTests {
    static let header = TokenForge.header("ES256", kid: TestKeys.ecKeyID)
    static let signer = Signer.es256(TestKeys.ec)

    @Test func aDuplicateAlgInTheHeaderIsRefused() {
        expectRejected(TokenForge.token(header: Self.header.appending("alg", "none"), signer: Self.signer), .malformed)
        expectRejected(TokenForge.token(header: Self.header.appending("alg", "ES256"), signer: Self.signer), .malformed)
    }

    @Test func aDuplicateKidInTheHeaderIsRefused() {
        expectRejected(TokenForge.token(header: Self.header.appending("kid", .string(TestKeys.rsaKeyID)), signer: Self.signer), .malformed)
    }

    @Test func twoAudienceClaimsAreRefused() {
        let claims = Fixture.claims.appending("aud", "https://other.example.com")
        expectRejected(TokenForge.token(header: Self.header, claims: claims, signer: Self.signer), .malformed)
    }

    @Test func twoExpiryClaimsAreRefused() {
        let claims = Fixture.claims.appending("exp", .int(Fixture.nowSeconds + 86_400 * 365))
        expectRejected(TokenForge.token(header: Self.header, claims: claims, signer: Self.signer), .malformed)
    }

    @Test func twoSubjectsOrEmailsAreRefused() {
        expectRejected(TokenForge.es256(Fixture.claims.appending("sub", "other")), .malformed)
        expectRejected(TokenForge.es256(Fixture.claims.appending("email", "root@example.com")), .malformed)
    }

    @Test func aDuplicateSpelledWithAnEscapeIsRefused() {
        let claims = Fixture.claims.json.dropLast() + #","a\u0075d":"https://other.example.com"}"#
        expectRejected(TokenForge.token(headerJSON: Self.header.json, claimsJSON: String(claims), signer: Self.signer), .malformed)
    }

    @Test func aDuplicateInsideANestedClaimIsRefused() {
        expectRejected(TokenForge.es256(Fixture.claims.setting("nested", .raw(#"[{"a":1,"a":2}]"#))), .malformed)
    }

    @Test func aDuplicateIgnoredHeaderParameterIsRefused() {
        expectRejected(TokenForge.token(header: Self.header.appending("typ", "JWT"), signer: Self.signer), .malformed)
    }
}
