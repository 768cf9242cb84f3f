import Crypto
import Foundation
import PredictAuth

/// Dev mode's token issuer: an ES256 signing key and its JWKS in the state folder, and a token
/// for the dev principal, so `predict-server --dev` runs with authentication on, as production
/// does. For development only: anyone who can read the folder can mint tokens.
public enum DevTokenAuthority {
    /// The principal dev tokens carry (a verified email), made invoker and admin in dev mode.
    public static let principal = "developer@predict.dev"
    /// How long a dev token lasts: a working day, under the verifier's 24 h maximum lifetime.
    public static let tokenLifetime: TimeInterval = 12 * 3600

    static let signingKeyName = "dev-signing-key.pem"
    static let jwksName = "dev-jwks.json"
    static let tokenName = "dev-token"

    /// What dev mode serves with: the JWKS the server trusts, and a token that works.
    public struct Prepared: Sendable {
        /// `dev-signing-key.pem` (0600): `predict-client token --key` mints more from it.
        public var signingKeyFile: URL
        /// `dev-jwks.json`: the server's key set.
        public var jwksFile: URL
        /// `dev-token` (0600): a fresh token for ``principal``, valid ``tokenLifetime``.
        public var tokenFile: URL
        public var token: String
    }

    /// Reuses (or creates) the signing key in `stateDirectory`, writes its JWKS, and mints a
    /// fresh token. Serialised with other processes preparing the same folder.
    public static func prepare(stateDirectory: URL, now: Date = Date()) throws -> Prepared {
        try DevStateDirectory.create(stateDirectory)
        return try DevStateLock.withExclusiveAccess(to: stateDirectory) {
            let keyFile = stateDirectory.appendingPathComponent(signingKeyName)
            let key: P256.Signing.PrivateKey
            if let pem = try? String(contentsOf: keyFile, encoding: .utf8),
               let existing = try? P256.Signing.PrivateKey(pemRepresentation: pem) {
                key = existing
            } else {
                key = P256.Signing.PrivateKey()
                try AtomicFileWriter.store(key.pemRepresentation + "\n", at: keyFile, mode: 0o600)
            }
            let keyID = DevTokenMinter.keyID(for: key.publicKey)
            let jwksFile = stateDirectory.appendingPathComponent(jwksName)
            try AtomicFileWriter.store(
                String(decoding: DevTokenMinter.jwks(for: key.publicKey, keyID: keyID), as: UTF8.self) + "\n",
                at: jwksFile, mode: 0o644)
            let token = DevTokenMinter.mint(
                DevTokenClaims(subject: "developer", email: principal, issuedAt: now, expiresAt: now + tokenLifetime),
                key: key, keyID: keyID)
            let tokenFile = stateDirectory.appendingPathComponent(tokenName)
            try AtomicFileWriter.store(token + "\n", at: tokenFile, mode: 0o600)
            return Prepared(signingKeyFile: keyFile, jwksFile: jwksFile, tokenFile: tokenFile, token: token)
        }
    }
}
