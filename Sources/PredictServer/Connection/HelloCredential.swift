/// What a `Hello` frame's token turned out to be, verified by the handler before the event is fed.
///
/// Verifying a JWT needs keys and a clock, so it stays outside the state machine; the machine only
/// decides what the verdict means for the connection (rule 1).
enum HelloCredential: Hashable, Sendable {
    /// The Hello carried no token (an empty `authorization`): an unauthenticated connection.
    case none
    /// The token verified. The machine keeps it as the connection's credential for later calls.
    case verified(token: String)
    /// The token did not verify; `reason` says which check failed and nothing secret.
    case rejected(reason: String)
}
