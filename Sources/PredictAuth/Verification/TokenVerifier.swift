import Foundation

/// Verifies identity tokens (JWTs signed RS256, PS256 or ES256) against a key set and a
/// ``VerificationPolicy``, strictly: anything not plainly valid is refused.
///
/// Checks run in this order and stop at the first failure: size; three strict-base64url
/// segments; the header as strict JSON; `alg`; `crit`; embedded keys, `typ` and `cty`; `kid`
/// and its key (whose algorithm must be `alg`); the signature over the segments as received;
/// and only then the claims (strict JSON; `iss`, `aud`, `exp`, `nbf`, `iat`, lifetime, `sub`,
/// `email`). Claims are never read from a token whose signature did not verify.
public struct TokenVerifier: Sendable {
    /// What tokens must satisfy.
    public let policy: VerificationPolicy

    /// A verifier applying `policy`.
    public init(policy: VerificationPolicy) {
        self.policy = policy
    }

    /// Verifies `token` (the bare JWT, without "Bearer ") against `keys` at `now`. Pure: no
    /// I/O and no clock of its own, so the same inputs always give the same answer.
    public func verify(_ token: String, keys: KeySet, now: Date) -> Result<VerifiedIdentity, TokenRejection> {
        do {
            return .success(try check(token, keys: keys, now: now))
        } catch {
            return .failure(error)
        }
    }

    private func check(_ token: String, keys: KeySet, now: Date) throws(TokenRejection) -> VerifiedIdentity {
        guard token.utf8.count <= policy.maximumTokenBytes else {
            throw TokenRejection(.tooLarge, "token larger than \(policy.maximumTokenBytes) bytes")
        }
        let compact = try CompactToken(token)
        let headerMembers: [String: JSONValue]
        do {
            headerMembers = try StrictJSONParser.parseObject(compact.header)
        } catch {
            throw TokenRejection(.malformed, "header is not a strict JSON object: \(error.reason)")
        }
        let header = try ProtectedHeader(headerMembers)
        guard let key = keys.key(withID: header.keyID) else {
            throw TokenRejection(.unknownKeyID, "unknown key id")
        }
        guard key.algorithm == header.algorithm else {
            throw TokenRejection(.unsupportedAlgorithm, "algorithm does not match the key")
        }
        guard key.isValidSignature(compact.signature, over: compact.signingInput) else {
            throw TokenRejection(.badSignature, "signature does not verify")
        }
        let claims: [String: JSONValue]
        do {
            claims = try StrictJSONParser.parseObject(compact.payload)
        } catch {
            throw TokenRejection(.malformed, "claims are not a strict JSON object: \(error.reason)")
        }
        return try ClaimsCheck(policy: policy).verifiedIdentity(claims, now: now)
    }
}
