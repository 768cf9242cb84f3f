import Foundation

/// The claims rules of ``TokenVerifier``, applied to the claims of a token whose signature has
/// already verified: issuer, audience, time, subject, email.
struct ClaimsCheck {
    let policy: VerificationPolicy

    func verifiedIdentity(_ claims: [String: JSONValue], now: Date) throws(TokenRejection) -> VerifiedIdentity {
        let issuer = try checkIssuer(claims)
        let audience = try checkAudience(claims)
        let validity = try checkTimes(claims, now: now.timeIntervalSince1970)
        guard let subject = claims["sub"]?.string, !subject.isEmpty else {
            throw TokenRejection(.missingClaim, "missing subject")
        }
        let (email, emailVerified) = try checkEmail(claims)
        return VerifiedIdentity(
            subject: subject,
            email: email,
            emailVerified: emailVerified,
            issuer: issuer,
            audience: audience,
            expiresAt: Date(timeIntervalSince1970: validity.expiresAt),
            issuedAt: validity.issuedAt.map { Date(timeIntervalSince1970: $0) })
    }

    private func checkIssuer(_ claims: [String: JSONValue]) throws(TokenRejection) -> String {
        guard let value = claims["iss"] else { throw TokenRejection(.missingClaim, "missing issuer") }
        guard let issuer = value.string else { throw TokenRejection(.issuerMismatch, "issuer is not a string") }
        guard Self.containsExactly(policy.issuers, issuer) else {
            throw TokenRejection(.issuerMismatch, "issuer not accepted")
        }
        return issuer
    }

    private func checkAudience(_ claims: [String: JSONValue]) throws(TokenRejection) -> [String] {
        let audience: [String]
        switch claims["aud"] {
        case nil:
            throw TokenRejection(.missingClaim, "missing audience")
        case .string(let single):
            audience = [single]
        case .array(let elements):
            guard !elements.isEmpty else { throw TokenRejection(.audienceMismatch, "audience is an empty list") }
            var strings: [String] = []
            for element in elements {
                guard let string = element.string else {
                    throw TokenRejection(.audienceMismatch, "audience is not a string or a list of strings")
                }
                strings.append(string)
            }
            audience = strings
        default:
            throw TokenRejection(.audienceMismatch, "audience is not a string or a list of strings")
        }
        guard audience.contains(where: { Self.containsExactly(policy.audiences, $0) }) else {
            throw TokenRejection(.audienceMismatch, "audience mismatch")
        }
        return audience
    }

    private func checkTimes(_ claims: [String: JSONValue], now: Double) throws(TokenRejection) -> (expiresAt: Double, issuedAt: Double?) {
        guard let expiresAt = try NumericDate.seconds("exp", in: claims) else {
            throw TokenRejection(.missingClaim, "missing expiry (exp)")
        }
        let notBefore = try NumericDate.seconds("nbf", in: claims)
        let issuedAt = try NumericDate.seconds("iat", in: claims)
        let leeway = policy.leeway.inSeconds
        guard now <= expiresAt + leeway else { throw TokenRejection(.expired, "token expired") }
        if let notBefore, now < notBefore - leeway {
            throw TokenRejection(.notYetValid, "token not yet valid")
        }
        if let issuedAt, issuedAt > now + leeway {
            throw TokenRejection(.issuedInFuture, "token issued in the future")
        }
        // After the clock checks, so a token that is simply expired is reported as expired.
        if let issuedAt, expiresAt < issuedAt {
            throw TokenRejection(.malformed, "token expires before it was issued")
        }
        // Without `iat`, what is left of the token's life is all that can be bounded.
        let lifetime = expiresAt - (issuedAt ?? now)
        guard lifetime <= policy.maximumLifetime.inSeconds else {
            throw TokenRejection(.lifetimeTooLong, "token lifetime exceeds the maximum")
        }
        return (expiresAt, issuedAt)
    }

    private func checkEmail(_ claims: [String: JSONValue]) throws(TokenRejection) -> (String?, Bool) {
        guard let value = claims["email"] else { return (nil, false) }
        guard let email = value.string, !email.isEmpty else {
            throw TokenRejection(.malformed, "email is not a non-empty string")
        }
        let verified: Bool
        switch claims["email_verified"] {
        case .bool(true), .string("true"): verified = true
        default: verified = false
        }
        if policy.requireVerifiedEmail, !verified {
            throw TokenRejection(.emailNotVerified, "email not verified")
        }
        return (email, verified)
    }

    /// Whether `candidates` holds `value` byte for byte. `Set.contains` would compare by Unicode
    /// canonical equivalence, under which distinct byte strings are equal (U+212A KELVIN SIGN
    /// equals "K"); an issuer or audience must match as written.
    static func containsExactly(_ candidates: Set<String>, _ value: String) -> Bool {
        candidates.contains { $0.utf8.elementsEqual(value.utf8) }
    }
}
