/// Why a token was refused: the check that failed, and a short reason a caller can act on
/// ("token expired", "audience mismatch", "unknown key id", ...).
///
/// The reason never contains the token or any part of it (header values, claims, the key id):
/// it goes back to callers and into logs, and a token is a credential.
public struct TokenRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The check that failed.
    public enum Kind: Sendable, Hashable {
        /// Not a well-formed compact JWS: segments, base64url, JSON, or a claim of the wrong type.
        case malformed
        /// `alg` is not RS256, PS256 or ES256, or not the algorithm of the key `kid` names.
        case unsupportedAlgorithm
        /// `kid` is missing, not a non-empty string, or names no key of the key set.
        case unknownKeyID
        /// The signature does not verify with the key `kid` names.
        case badSignature
        /// `exp` (plus leeway) has passed.
        case expired
        /// `nbf` (minus leeway) has not come yet.
        case notYetValid
        /// `iat` is later than now plus leeway.
        case issuedInFuture
        /// `exp - iat` (or `exp - now`) exceeds the policy's maximum lifetime.
        case lifetimeTooLong
        /// `iss` is not one of the policy's issuers.
        case issuerMismatch
        /// `aud` names none of the policy's audiences.
        case audienceMismatch
        /// `email` is present but `email_verified` is not true.
        case emailNotVerified
        /// The token is longer than the policy's maximum.
        case tooLarge
        /// The header has `crit`: extensions this verifier does not understand must not be ignored.
        case criticalHeader
        /// A required claim (`iss`, `aud`, `exp`, `sub`) is absent.
        case missingClaim
    }

    /// The check that failed.
    public var kind: Kind
    /// A short phrase naming the failed check, safe to return to the caller and to log.
    public var reason: String

    /// A rejection of `kind`; `reason` must not quote the token.
    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String { reason }
}
