import Foundation
import PredictAuth
import Testing

/// A verifier configured as production is: Google's two issuer spellings, one audience, 60 s
/// leeway, a fixed clock, and the trusted JWKS of ``TestKeys``.
enum Fixture {
    static let nowSeconds = 1_750_000_000
    static let now = Date(timeIntervalSince1970: TimeInterval(nowSeconds))
    static let audience = "https://predict.example.com"
    static let issuer = "https://accounts.google.com"
    static let policy = VerificationPolicy(
        issuers: ["https://accounts.google.com", "accounts.google.com"],
        audiences: [audience],
        leeway: .seconds(60))
    static let verifier = TokenVerifier(policy: policy)

    /// Claims as Google writes them for a service account with a verified email.
    static var claims: JSONMembers {
        [
            "iss": .string(issuer),
            "aud": .string(audience),
            "sub": "110169484474386276334",
            "email": "alice@example.com",
            "email_verified": true,
            "iat": .int(nowSeconds - 300),
            "exp": .int(nowSeconds + 3300),
        ]
    }

    static func verify(_ token: String, verifier: TokenVerifier = verifier) -> Result<VerifiedIdentity, TokenRejection> {
        verifier.verify(token, keys: TestKeys.keySet, now: now)
    }
}

/// Expects `token` to be refused with `kind`, and the reason to quote no part of the token.
func expectRejected(
    _ token: String,
    _ kind: TokenRejection.Kind,
    verifier: TokenVerifier = Fixture.verifier,
    keys: KeySet = TestKeys.keySet,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    switch verifier.verify(token, keys: keys, now: Fixture.now) {
    case .success(let identity):
        Issue.record("accepted as \(identity.principal); expected \(kind)", sourceLocation: sourceLocation)
    case .failure(let rejection):
        #expect(rejection.kind == kind, "reason: \(rejection.reason)", sourceLocation: sourceLocation)
        #expect(!rejection.reason.isEmpty, sourceLocation: sourceLocation)
        for segment in token.split(separator: ".") where segment.count >= 8 {
            #expect(!rejection.reason.contains(segment), "reason quotes the token", sourceLocation: sourceLocation)
        }
    }
}

/// Expects `token` to verify, and returns the identity.
@discardableResult
func expectAccepted(
    _ token: String,
    verifier: TokenVerifier = Fixture.verifier,
    keys: KeySet = TestKeys.keySet,
    sourceLocation: SourceLocation = #_sourceLocation
) -> VerifiedIdentity? {
    switch verifier.verify(token, keys: keys, now: Fixture.now) {
    case .success(let identity):
        return identity
    case .failure(let rejection):
        Issue.record("rejected: \(rejection.reason)", sourceLocation: sourceLocation)
        return nil
    }
}
