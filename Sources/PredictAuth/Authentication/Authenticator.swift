import Foundation

/// Turns a Hello's or a Call's `authorization` ("Bearer <JWT>") into a verified identity, as
/// PROTOCOL.md rule 6 asks of every call: the token is verified against the current key set
/// and policy once, then served from a bounded cache until it expires.
///
/// Never blocks: a token naming a key id the set lacks is refused at once ("unknown key id")
/// and the key sources are asked to re-fetch, so a rotated key works from the next call on.
public final class Authenticator: Sendable {
    public let policy: VerificationPolicy
    private let verifier: TokenVerifier
    private let keys: @Sendable () -> KeySet
    private let unknownKeyID: @Sendable () -> Void
    private let cache: VerifiedTokenCache
    private let now: @Sendable () -> Date

    /// - Parameters:
    ///   - keys: The current verification keys; called for each verification, so it must be cheap.
    ///   - onUnknownKeyID: Asks the key sources to re-fetch (they rate-limit it).
    ///   - cacheCapacity: Verified tokens kept; default 4096.
    ///   - now: The clock tokens are judged by.
    public init(
        policy: VerificationPolicy,
        keys: @escaping @Sendable () -> KeySet,
        onUnknownKeyID: @escaping @Sendable () -> Void = {},
        cacheCapacity: Int = 4096,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.policy = policy
        self.verifier = TokenVerifier(policy: policy)
        self.keys = keys
        self.unknownKeyID = onUnknownKeyID
        self.cache = VerifiedTokenCache(capacity: cacheCapacity)
        self.now = now
    }

    /// The identity behind `authorization`, or why it is refused. The reason never contains
    /// the token.
    public func authenticate(authorization: String) -> Result<VerifiedIdentity, TokenRejection> {
        guard let token = Self.bearerToken(authorization) else {
            return .failure(TokenRejection(.malformed, "authorization must be 'Bearer <token>'"))
        }
        let date = now()
        let seconds = date.timeIntervalSince1970
        if let identity = cache.identity(for: token, now: seconds) { return .success(identity) }
        let result = verifier.verify(String(token), keys: keys(), now: date)
        switch result {
        case .success(let identity):
            cache.store(identity, for: token, validUntil: validUntil(identity), now: seconds)
        case .failure(let rejection) where rejection.kind == .unknownKeyID:
            unknownKeyID()
        case .failure:
            break
        }
        return result
    }

    /// Whether an identity verified earlier is still within its token's lifetime (plus leeway).
    public func isStillValid(_ identity: VerifiedIdentity) -> Bool {
        now().timeIntervalSince1970 <= validUntil(identity)
    }

    private func validUntil(_ identity: VerifiedIdentity) -> Double {
        identity.expiresAt.timeIntervalSince1970 + Double(policy.leeway.components.seconds)
    }

    /// The token after "Bearer " (scheme case-insensitive, RFC 6750), or nil.
    static func bearerToken(_ authorization: String) -> Substring? {
        let scheme = "bearer "
        guard authorization.utf8.count > scheme.utf8.count,
              authorization.prefix(scheme.count).lowercased() == scheme
        else { return nil }
        let token = authorization.dropFirst(scheme.count)
        // Bytes, not Characters: grapheme breaking over a 1 KB token costs microseconds.
        return token.isEmpty || token.utf8.contains(UInt8(ascii: " ")) ? nil : token
    }
}
