import PredictAuth
import Testing

/// An email is the principal only when the issuer verified it; an unverified email refuses the
/// token under the production policy.
@Suite struct EmailVerificationTests {
    @Test(arguments: [JSONLiteral.bool(false), .string("false"), .string("TRUE"), .string("True"), .string("yes"), .int(1), .raw("null"), .strings(["true"])])
    func anEmailWhoseVerificationIsNotTrueIsRefused(_ verified: JSONLiteral) {
        expectRejected(TokenForge.es256(Fixture.claims.setting("email_verified", verified)), .emailNotVerified)
    }

    @Test func anEmailWithoutEmailVerifiedIsRefused() {
        expectRejected(TokenForge.es256(Fixture.claims.setting("email_verified", nil)), .emailNotVerified)
    }

    @Test func theStringTrueCountsAsVerified() {
        let identity = expectAccepted(TokenForge.es256(Fixture.claims.setting("email_verified", "true")))
        #expect(identity?.emailVerified == true)
        #expect(identity?.principal == "alice@example.com")
    }

    @Test func theVerifiedEmailIsThePrincipal() {
        #expect(expectAccepted(TokenForge.valid(.rs256))?.principal == "alice@example.com")
    }

    @Test func withoutEmailTheSubjectIsThePrincipal() {
        let claims = Fixture.claims.setting("email", nil).setting("email_verified", nil)
        let identity = expectAccepted(TokenForge.es256(claims))
        #expect(identity?.email == nil)
        #expect(identity?.principal == "110169484474386276334")
    }

    @Test func whenUnverifiedEmailsAreAllowedTheSubjectIsStillThePrincipal() {
        let lenient = TokenVerifier(policy: VerificationPolicy(issuers: Fixture.policy.issuers, audiences: Fixture.policy.audiences, requireVerifiedEmail: false))
        let identity = expectAccepted(TokenForge.es256(Fixture.claims.setting("email_verified", false)), verifier: lenient)
        #expect(identity?.email == "alice@example.com")
        #expect(identity?.emailVerified == false)
        #expect(identity?.principal == "110169484474386276334")
    }

    @Test(arguments: [JSONLiteral.int(1), .raw("null"), .string(""), .strings(["alice@example.com"])])
    func anEmailThatIsNotANonEmptyStringIsRefused(_ email: JSONLiteral) {
        expectRejected(TokenForge.es256(Fixture.claims.setting("email", email)), .malformed)
    }
}
