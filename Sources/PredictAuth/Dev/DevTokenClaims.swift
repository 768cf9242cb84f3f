import Foundation

/// The claims of a token ``DevTokenMinter`` mints. For development and tests only.
public struct DevTokenClaims: Sendable, Hashable {
    /// `iss`; ``DevTokenMinter/issuer`` unless a test needs another.
    public var issuer: String
    /// `sub`.
    public var subject: String
    /// `email`, omitted when nil.
    public var email: String?
    /// `email_verified`, written only when ``email`` is set.
    public var emailVerified: Bool
    /// `aud`; ``DevTokenMinter/audience`` unless a test needs another.
    public var audience: String
    /// `iat`, written in whole seconds (rounded down).
    public var issuedAt: Date
    /// `exp`, written in whole seconds (rounded down).
    public var expiresAt: Date

    /// Claims for `subject` valid from `issuedAt` to `expiresAt`, by default of the dev issuer
    /// and for the dev audience, with `email` (if any) marked verified.
    public init(
        issuer: String = DevTokenMinter.issuer,
        subject: String,
        email: String? = nil,
        emailVerified: Bool = true,
        audience: String = DevTokenMinter.audience,
        issuedAt: Date,
        expiresAt: Date
    ) {
        self.issuer = issuer
        self.subject = subject
        self.email = email
        self.emailVerified = emailVerified
        self.audience = audience
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }
}
