import Crypto
import _CryptoExtras

/// A public key that verifies token signatures: its key id, the one algorithm it may be used
/// with, and the key itself.
///
/// Binding the algorithm to the key, not taking it from the token, is what stops algorithm
/// confusion: an RS256 key never verifies a PS256 or HS256 token.
public struct VerificationKey: Sendable {
    /// The `kid` tokens name this key by.
    public let keyID: String
    /// The only algorithm this key verifies.
    public let algorithm: SignatureAlgorithm
    let material: Material

    enum Material: Sendable {
        /// An RSA key and its modulus length in bytes, which every signature must have.
        case rsa(_RSA.Signing.PublicKey, modulusBytes: Int)
        case p256(P256.Signing.PublicKey)
    }

    /// RSA keys shorter than this are refused: 1024-bit RSA is within reach of a determined
    /// attacker, and no current issuer needs less.
    public static let minimumRSABits = 2048

    /// An ES256 key.
    public init(keyID: String, es256 key: P256.Signing.PublicKey) {
        self.keyID = keyID
        self.algorithm = .es256
        self.material = .p256(key)
    }

    /// An RS256 key; throws for a modulus under ``minimumRSABits``.
    public init(keyID: String, rs256 key: _RSA.Signing.PublicKey) throws(KeySetError) {
        try self.init(keyID: keyID, rsa: key, algorithm: .rs256)
    }

    /// A PS256 key; throws for a modulus under ``minimumRSABits``.
    public init(keyID: String, ps256 key: _RSA.Signing.PublicKey) throws(KeySetError) {
        try self.init(keyID: keyID, rsa: key, algorithm: .ps256)
    }

    private init(keyID: String, rsa key: _RSA.Signing.PublicKey, algorithm: SignatureAlgorithm) throws(KeySetError) {
        let bits = key.keySizeInBits
        guard bits >= Self.minimumRSABits else {
            throw KeySetError("RSA modulus of \(bits) bits is under the \(Self.minimumRSABits)-bit minimum")
        }
        self.keyID = keyID
        self.algorithm = algorithm
        self.material = .rsa(key, modulusBytes: (bits + 7) / 8)
    }
}
