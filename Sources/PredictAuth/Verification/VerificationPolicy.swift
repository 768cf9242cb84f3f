/// What a token must satisfy to verify: who may have issued it, whom it must be for, and the
/// clock and size bounds it must keep. Configuration only; ``TokenVerifier`` applies it.
public struct VerificationPolicy: Sendable {
    /// Accepted `iss` values, compared byte for byte (no case folding, no trailing-slash
    /// normalisation): Google's ID tokens carry either `https://accounts.google.com` or
    /// `accounts.google.com`, so list both to accept both.
    public var issuers: Set<String>
    /// Accepted audiences: `aud` (a string, or a non-empty array of strings) must contain one
    /// of them, compared byte for byte.
    public var audiences: Set<String>
    /// Clock skew tolerated on `exp`, `nbf` and `iat`.
    public var leeway: Duration = .seconds(60)
    /// The longest a token may be valid: `exp - iat`, or `exp - now` for a token without `iat`.
    /// Long-lived tokens are stolen tokens that keep working.
    public var maximumLifetime: Duration = .seconds(86_400)
    /// When a token carries `email`, it must also carry `email_verified` true (the JSON `true`,
    /// or the string `"true"`, which some Google tokens send). Without this, the principal
    /// would be an address nobody proved they own.
    public var requireVerifiedEmail: Bool = true
    /// Tokens longer than this (in UTF-8 bytes) are refused before any parsing, which bounds
    /// the work an unauthenticated caller can cause.
    public var maximumTokenBytes: Int = 8192

    /// A policy accepting tokens of `issuers` for `audiences`; the defaults are production's.
    public init(
        issuers: Set<String>,
        audiences: Set<String>,
        leeway: Duration = .seconds(60),
        maximumLifetime: Duration = .seconds(86_400),
        requireVerifiedEmail: Bool = true
    ) {
        self.issuers = issuers
        self.audiences = audiences
        self.leeway = leeway
        self.maximumLifetime = maximumLifetime
        self.requireVerifiedEmail = requireVerifiedEmail
    }
}
