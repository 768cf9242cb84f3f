import Foundation
import PredictAuth
import Testing

/// Tokens a production issuer writes are accepted, with the identity they carry.
@Suite struct AcceptedTokenTests {
    @Test(arguments: [SignatureAlgorithm.rs256, .ps256, .es256])
    func aProperlySignedTokenVerifiesToItsIdentity(_ algorithm: SignatureAlgorithm) throws {
        let identity = try #require(expectAccepted(TokenForge.valid(algorithm)))
        #expect(identity == VerifiedIdentity(
            subject: "110169484474386276334",
            email: "alice@example.com",
            emailVerified: true,
            issuer: "https://accounts.google.com",
            audience: ["https://predict.example.com"],
            expiresAt: Date(timeIntervalSince1970: TimeInterval(Fixture.nowSeconds + 3300)),
            issuedAt: Date(timeIntervalSince1970: TimeInterval(Fixture.nowSeconds - 300))))
        #expect(identity.principal == "alice@example.com")
    }

    @Test func theOtherSpellingOfGooglesIssuerIsAccepted() {
        let identity = expectAccepted(TokenForge.es256(Fixture.claims.setting("iss", "accounts.google.com")))
        #expect(identity?.issuer == "accounts.google.com")
    }

    @Test func aTokenWithoutTypOrWithLowercaseTypIsAccepted() {
        let claims = Fixture.claims
        let signer = Signer.es256(TestKeys.ec)
        expectAccepted(TokenForge.token(header: ["alg": "ES256", "kid": .string(TestKeys.ecKeyID)], claims: claims, signer: signer))
        expectAccepted(TokenForge.token(header: ["alg": "ES256", "kid": .string(TestKeys.ecKeyID), "typ": "jwt"], claims: claims, signer: signer))
    }

    @Test func unknownHeaderParametersAndClaimsAreIgnored() {
        let header: JSONMembers = ["alg": "ES256", "kid": .string(TestKeys.ecKeyID), "x5t": "thumbprint", "extra": .raw(#"{"a":[1,2.5,null,false]}"#)]
        let claims = Fixture.claims.setting("azp", "client").setting("nested", .raw(#"{"deep":{"er":["x"]}}"#))
        expectAccepted(TokenForge.token(header: header, claims: claims, signer: .es256(TestKeys.ec)))
    }

    @Test func fractionalNumericDatesAreAccepted() throws {
        let claims = Fixture.claims
            .setting("exp", .double(Double(Fixture.nowSeconds) + 100.5))
            .setting("iat", .double(Double(Fixture.nowSeconds) - 0.25))
        let identity = try #require(expectAccepted(TokenForge.es256(claims)))
        #expect(identity.expiresAt.timeIntervalSince1970 == Double(Fixture.nowSeconds) + 100.5)
    }

    @Test func aTokenOfExactlyTheMaximumSizeIsAcceptedAndOneByteMoreIsTooLarge() throws {
        let exact = try #require(Self.validToken(ofBytes: 8192))
        expectAccepted(exact)
        let over = try #require(Self.validToken(ofBytes: 8193))
        expectRejected(over, .tooLarge)
    }

    /// A valid ES256 token of exactly `length` bytes, padded with an ignored header parameter and
    /// an ignored claim (one base64url segment cannot take every length).
    static func validToken(ofBytes length: Int) -> String? {
        let signatureLength = 86
        for headerPadding in 0..<4 {
            let header = TokenForge.header("ES256", kid: TestKeys.ecKeyID).setting("pad", .string(String(repeating: "h", count: headerPadding)))
            let headerLength = Base64URLText.encode(header.json).count
            // Start a little under the padding that fills the token, so only a few lengths are tried.
            let unpadded = Base64URLText.encode(Fixture.claims.setting("pad", "").json).count
            let estimate = max(0, (length - headerLength - signatureLength - 2 - unpadded) * 3 / 4 - 8)
            for claimPadding in estimate..<length {
                let claims = Fixture.claims.setting("pad", .string(String(repeating: "c", count: claimPadding)))
                let total = headerLength + Base64URLText.encode(claims.json).count + signatureLength + 2
                if total == length { return TokenForge.token(header: header, claims: claims, signer: .es256(TestKeys.ec)) }
                if total > length { break }
            }
        }
        return nil
    }

    @Test func theVerifierIsPureSameInputsSameAnswer() {
        let token = TokenForge.valid(.rs256)
        let first = Fixture.verify(token)
        let second = Fixture.verify(token)
        #expect(first == second)
    }
}
