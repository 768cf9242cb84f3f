import Foundation
import PredictAuth
import Testing

/// `exp` is required; `exp`, `nbf` and `iat` hold with 60 s of leeway; a token may not live
/// longer than 24 h. The fixture's clock is fixed at ``Fixture/now``.
@Suite struct TimeClaimTests {
    static let now = Fixture.nowSeconds

    static func claims(exp: Int?, iat: Int? = nil, nbf: Int? = nil) -> JSONMembers {
        Fixture.claims
            .setting("exp", exp.map { .int($0) })
            .setting("iat", iat.map { .int($0) })
            .setting("nbf", nbf.map { .int($0) })
    }

    @Test func aTokenExpiredBeyondTheLeewayIsRefused() {
        expectRejected(TokenForge.es256(Self.claims(exp: Self.now - 61, iat: Self.now - 3600)), .expired)
        let reason = Fixture.verify(TokenForge.es256(Self.claims(exp: Self.now - 61, iat: Self.now - 3600))).failure?.reason
        #expect(reason == "token expired")
    }

    @Test func aTokenExpiredWithinTheLeewayIsAccepted() {
        expectAccepted(TokenForge.es256(Self.claims(exp: Self.now - 59, iat: Self.now - 3600)))
        expectAccepted(TokenForge.es256(Self.claims(exp: Self.now - 60, iat: Self.now - 3600)))
    }

    @Test func withoutLeewayAnyPastExpiryIsRefused() {
        let strict = TokenVerifier(policy: VerificationPolicy(issuers: Fixture.policy.issuers, audiences: Fixture.policy.audiences, leeway: .zero))
        expectRejected(TokenForge.es256(Self.claims(exp: Self.now - 1, iat: Self.now - 3600)), .expired, verifier: strict)
        expectAccepted(TokenForge.es256(Self.claims(exp: Self.now, iat: Self.now - 3600)), verifier: strict)
    }

    @Test func aTokenNotYetValidBeyondTheLeewayIsRefused() {
        expectRejected(TokenForge.es256(Self.claims(exp: Self.now + 3600, iat: Self.now, nbf: Self.now + 61)), .notYetValid)
    }

    @Test func aTokenNotYetValidWithinTheLeewayIsAccepted() {
        expectAccepted(TokenForge.es256(Self.claims(exp: Self.now + 3600, iat: Self.now, nbf: Self.now + 59)))
    }

    @Test func aTokenIssuedInTheFutureIsRefused() {
        expectRejected(TokenForge.es256(Self.claims(exp: Self.now + 3600, iat: Self.now + 61)), .issuedInFuture)
        expectAccepted(TokenForge.es256(Self.claims(exp: Self.now + 3600, iat: Self.now + 59)))
    }

    @Test func aLifetimeOverTheMaximumIsRefused() {
        expectRejected(TokenForge.es256(Self.claims(exp: Self.now + 3600, iat: Self.now + 3600 - 86_401)), .lifetimeTooLong)
        expectAccepted(TokenForge.es256(Self.claims(exp: Self.now + 3600, iat: Self.now + 3600 - 86_400)))
    }

    @Test func withoutIatTheRemainingLifetimeIsBounded() {
        expectRejected(TokenForge.es256(Self.claims(exp: Self.now + 86_401)), .lifetimeTooLong)
        expectAccepted(TokenForge.es256(Self.claims(exp: Self.now + 86_400)))
    }

    @Test func aMissingExpIsRefused() {
        expectRejected(TokenForge.es256(Self.claims(exp: nil, iat: Self.now)), .missingClaim)
    }

    @Test(arguments: [
        JSONLiteral.string(String(Fixture.nowSeconds + 3600)), .raw("null"), .bool(true), .raw("[1750003600]"),
        .raw(#"{"t":1750003600}"#), .int(-1), .raw("1e300"), .raw("253402300800"),
    ])
    func anExpThatIsNotANumericDateIsRefused(_ exp: JSONLiteral) {
        expectRejected(TokenForge.es256(Fixture.claims.setting("exp", exp)), .malformed)
    }

    @Test(arguments: ["1e400", "-1e400", "NaN", "Infinity", "0x68", "+1750003600", "01750003600", "1750003600."])
    func anExpThatIsNotAJSONNumberIsRefused(_ exp: String) {
        expectRejected(TokenForge.es256(Fixture.claims.setting("exp", .raw(exp))), .malformed)
    }

    @Test func anExponentNumericDateIsAccepted() {
        expectAccepted(TokenForge.es256(Fixture.claims.setting("exp", .raw("1.7500033e9"))))
    }

    @Test(arguments: ["iat", "nbf"])
    func anIatOrNbfThatIsNotANumericDateIsRefused(_ claim: String) {
        expectRejected(TokenForge.es256(Fixture.claims.setting(claim, "1750000000")), .malformed)
        expectRejected(TokenForge.es256(Fixture.claims.setting(claim, .raw("null"))), .malformed)
    }

    @Test func aTokenExpiringBeforeItWasIssuedIsRefused() {
        expectRejected(TokenForge.es256(Self.claims(exp: Self.now + 10, iat: Self.now + 20)), .malformed)
    }

    @Test func aPastExpiryBeforeIatIsReportedAsExpired() {
        // A minted token with a negative lifetime is, to its caller, an expired token.
        expectRejected(TokenForge.es256(Self.claims(exp: Self.now - 3600, iat: Self.now)), .expired)
    }
}
