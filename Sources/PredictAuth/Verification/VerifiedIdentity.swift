import Foundation

/// Who a verified token says the caller is: what authorization and the Welcome frame use.
public struct VerifiedIdentity: Sendable, Hashable {
    /// `sub`: the issuer's stable identifier of the caller.
    public var subject: String
    /// `email`, when the token carries one (verified or not; see ``emailVerified``).
    public var email: String?
    /// Whether the token's `email_verified` is true.
    public var emailVerified: Bool
    /// `iss`, one of the policy's issuers.
    public var issuer: String
    /// `aud`, always as a list.
    public var audience: [String]
    /// `exp`: callers should stop trusting this identity after it.
    public var expiresAt: Date
    /// `iat`, when present.
    public var issuedAt: Date?

    /// An identity as a verified token states it; ``principal`` follows from it.
    public init(
        subject: String,
        email: String? = nil,
        emailVerified: Bool = false,
        issuer: String,
        audience: [String],
        expiresAt: Date,
        issuedAt: Date? = nil
    ) {
        self.subject = subject
        self.email = email
        self.emailVerified = emailVerified
        self.issuer = issuer
        self.audience = audience
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
    }

    /// What authorization matches: the verified email, else the subject. An email that is not
    /// verified is never the principal, whatever the policy allowed.
    public var principal: String {
        if emailVerified, let email { email } else { subject }
    }
}
