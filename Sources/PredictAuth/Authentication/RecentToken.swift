/// The last per-call token a connection presented and what it verified to: a client that puts
/// its token in every Call (rather than in Hello) pays one string comparison per call instead
/// of a SHA-256 and a cache lookup. Owned by one connection; not shared.
public struct RecentToken: Sendable {
    private var authorization: String?
    private var identity: VerifiedIdentity?

    public init() {}

    /// The identity `authorization` verified to, if it is the one remembered and still valid.
    public func identity(for authorization: String, authenticator: Authenticator) -> VerifiedIdentity? {
        guard let identity, authorization == self.authorization, authenticator.isStillValid(identity) else { return nil }
        return identity
    }

    public mutating func remember(_ authorization: String, as identity: VerifiedIdentity) {
        self.authorization = authorization
        self.identity = identity
    }
}
