import PredictAuth

/// How the server treats tokens (PROTOCOL.md rules 1, 2 and 6).
public enum ServerAuthentication: Sendable {
    /// Every call needs a token that verifies, of a principal the policy allows; the default
    /// of `predict-server`.
    case required(Authenticator, AccessPolicy)
    /// `--allow-unauthenticated`, as Cloud Run names it: tokens are neither required nor checked.
    case disabled
}
