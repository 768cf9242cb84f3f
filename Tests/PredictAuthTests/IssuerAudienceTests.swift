import PredictAuth
import Testing

/// `iss` and `aud` match a configured value byte for byte: no near misses, no normalisation.
@Suite struct IssuerAudienceTests {
    @Test(arguments: [
        "https://accounts.google.co", "https://accounts.google.com.evil.example", "https://Accounts.google.com",
        "HTTPS://ACCOUNTS.GOOGLE.COM", "https://accounts.google.com/", "accounts.google.com/", " https://accounts.google.com",
        "https://accounts.google.com\u{0}", "http://accounts.google.com", "https://evil.example/https://accounts.google.com", "",
    ])
    func anIssuerNearMissIsRefused(_ issuer: String) {
        expectRejected(TokenForge.es256(Fixture.claims.setting("iss", .string(issuer))), .issuerMismatch)
    }

    @Test(arguments: [JSONLiteral.strings(["https://accounts.google.com"]), .int(1), .raw("null"), .bool(true), .raw(#"{"iss":"accounts.google.com"}"#)])
    func anIssuerThatIsNotAStringIsRefused(_ issuer: JSONLiteral) {
        expectRejected(TokenForge.es256(Fixture.claims.setting("iss", issuer)), .issuerMismatch)
    }

    @Test func aMissingIssuerIsRefused() {
        expectRejected(TokenForge.es256(Fixture.claims.setting("iss", nil)), .missingClaim)
    }

    @Test(arguments: [
        "https://predict.example.co", "https://predict.example.com.evil.example", "https://Predict.example.com",
        "https://predict.example.com/", "predict.example.com", "https://predict.example.com ", "",
    ])
    func anAudienceNearMissIsRefused(_ audience: String) {
        expectRejected(TokenForge.es256(Fixture.claims.setting("aud", .string(audience))), .audienceMismatch)
    }

    @Test func anAudienceListWithoutAMatchIsRefused() {
        expectRejected(TokenForge.es256(Fixture.claims.setting("aud", .strings(["https://other.example.com", "https://predict.example.com/"]))), .audienceMismatch)
    }

    @Test func anAudienceListWithAMatchIsAccepted() {
        let identity = expectAccepted(TokenForge.es256(Fixture.claims.setting("aud", .strings(["https://other.example.com", Fixture.audience]))))
        #expect(identity?.audience == ["https://other.example.com", Fixture.audience])
    }

    @Test func anEmptyAudienceListIsRefused() {
        expectRejected(TokenForge.es256(Fixture.claims.setting("aud", .strings([]))), .audienceMismatch)
    }

    @Test(arguments: [JSONLiteral.int(1), .raw("null"), .bool(true), .raw(#"{"aud":"https://predict.example.com"}"#), .raw(#"[["https://predict.example.com"]]"#)])
    func anAudienceThatIsNotAStringOrListOfStringsIsRefused(_ audience: JSONLiteral) {
        expectRejected(TokenForge.es256(Fixture.claims.setting("aud", audience)), .audienceMismatch)
    }

    @Test func anAudienceListWithANonStringBesideTheMatchIsRefused() {
        expectRejected(TokenForge.es256(Fixture.claims.setting("aud", .raw(#"["https://predict.example.com",1]"#))), .audienceMismatch)
    }

    @Test func aMissingAudienceIsRefused() {
        expectRejected(TokenForge.es256(Fixture.claims.setting("aud", nil)), .missingClaim)
    }

    @Test func issuerAndAudienceAreMatchedByteForByteNotByCanonicalEquivalence() {
        let verifier = TokenVerifier(policy: VerificationPolicy(issuers: ["issuer-K"], audiences: ["audience-K"]))
        let claims = Fixture.claims.setting("iss", "issuer-K").setting("aud", "audience-K")
        expectAccepted(TokenForge.es256(claims), verifier: verifier)
        // U+212A KELVIN SIGN equals "K" as a Swift String.
        expectRejected(TokenForge.es256(claims.setting("iss", "issuer-\u{212A}")), .issuerMismatch, verifier: verifier)
        expectRejected(TokenForge.es256(claims.setting("aud", "audience-\u{212A}")), .audienceMismatch, verifier: verifier)
        // Escaped spellings of the same characters are the same string.
        expectAccepted(TokenForge.es256(claims.setting("iss", .raw(#""issuer-\u004B""#))), verifier: verifier)
    }

    @Test(arguments: [JSONLiteral.raw("null"), .int(1), .string("")])
    func aMissingOrEmptySubjectIsRefused(_ subject: JSONLiteral) {
        expectRejected(TokenForge.es256(Fixture.claims.setting("sub", nil)), .missingClaim)
        expectRejected(TokenForge.es256(Fixture.claims.setting("sub", subject)), .missingClaim)
    }
}
