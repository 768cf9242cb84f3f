/// The JWS algorithms (RFC 7518 §3) this verifier accepts. Everything else, `none` and the
/// HMAC family above all, is refused: an HMAC "key" would be public key bytes anyone has.
public enum SignatureAlgorithm: String, Sendable, CaseIterable {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    case rs256 = "RS256"
    /// RSASSA-PSS with SHA-256, MGF1 with SHA-256 and a 32-byte salt.
    case ps256 = "PS256"
    /// ECDSA on P-256 with SHA-256, the signature as the 64-byte `r || s`.
    case es256 = "ES256"
}
