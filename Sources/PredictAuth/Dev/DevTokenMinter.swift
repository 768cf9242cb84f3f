import Crypto
import Foundation

/// Mints ES256 tokens from a local P-256 key, for `predict-server --dev` and for tests only:
/// anyone holding the key can mint any identity, so a production server must never trust a
/// dev key set.
public enum DevTokenMinter {
    /// The `iss` of dev tokens.
    public static let issuer = "predict-dev"
    /// The `aud` of dev tokens.
    public static let audience = "predict"

    /// A new random signing key.
    public static func makeSigningKey() -> P256.Signing.PrivateKey {
        P256.Signing.PrivateKey()
    }

    /// The RFC 7638 thumbprint of `key` (SHA-256 of its canonical JWK, base64url): a key id
    /// that changes exactly when the key does.
    public static func keyID(for key: P256.Signing.PublicKey) -> String {
        let coordinates = coordinates(of: key)
        // RFC 7638 §3.2: the required members only, in lexicographic order, no whitespace.
        let canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"\(coordinates.x)\",\"y\":\"\(coordinates.y)\"}"
        return Base64URL.encode(Array(SHA256.hash(data: Array(canonical.utf8))))
    }

    /// A JWKS document holding `key` under `keyID`, for ``KeySet/init(jwks:)``.
    public static func jwks(for key: P256.Signing.PublicKey, keyID: String) -> Data {
        let coordinates = coordinates(of: key)
        var jwk = JSONText()
        jwk.append("kty", "EC")
        jwk.append("crv", "P-256")
        jwk.append("alg", SignatureAlgorithm.es256.rawValue)
        jwk.append("use", "sig")
        jwk.append("kid", keyID)
        jwk.append("x", coordinates.x)
        jwk.append("y", coordinates.y)
        var document = JSONText()
        document.append("keys", json: "[\(jwk.closed)]")
        return Data(document.closed.utf8)
    }

    /// A compact ES256 JWT of `claims`, signed by `key`, naming `keyID` in its header.
    public static func mint(_ claims: DevTokenClaims, key: P256.Signing.PrivateKey, keyID: String) -> String {
        var header = JSONText()
        header.append("alg", SignatureAlgorithm.es256.rawValue)
        header.append("typ", "JWT")
        header.append("kid", keyID)
        var payload = JSONText()
        payload.append("iss", claims.issuer)
        payload.append("sub", claims.subject)
        payload.append("aud", claims.audience)
        payload.append("iat", Int(claims.issuedAt.timeIntervalSince1970.rounded(.down)))
        payload.append("exp", Int(claims.expiresAt.timeIntervalSince1970.rounded(.down)))
        if let email = claims.email {
            payload.append("email", email)
            payload.append("email_verified", claims.emailVerified)
        }
        let signingInput = Base64URL.encode(Array(header.closed.utf8)) + "." + Base64URL.encode(Array(payload.closed.utf8))
        // Signing with a valid in-memory key over a digest cannot fail.
        let signature = try! key.signature(for: SHA256.hash(data: Array(signingInput.utf8)))
        return signingInput + "." + Base64URL.encode(signature.rawRepresentation)
    }

    /// The signing key in `pem` (a PKCS#8 or SEC 1 "EC PRIVATE KEY" PEM document).
    public static func signingKey(pemRepresentation pem: String) throws -> P256.Signing.PrivateKey {
        try P256.Signing.PrivateKey(pemRepresentation: pem)
    }

    /// `key` as a PKCS#8 PEM document.
    public static func pemRepresentation(of key: P256.Signing.PrivateKey) -> String {
        key.pemRepresentation
    }

    /// Reads the signing key from the PEM file at `file`.
    public static func loadSigningKey(from file: URL) throws -> P256.Signing.PrivateKey {
        try signingKey(pemRepresentation: String(contentsOf: file, encoding: .utf8))
    }

    /// Writes `key` as PEM to `file`, readable by its owner only, replacing any file there
    /// atomically.
    public static func storeSigningKey(_ key: P256.Signing.PrivateKey, to file: URL) throws {
        try PrivateFileWriter.store(Array((pemRepresentation(of: key) + "\n").utf8), at: file)
    }

    private static func coordinates(of key: P256.Signing.PublicKey) -> (x: String, y: String) {
        // x963: 0x04 || x || y, 32 bytes each.
        let point = Array(key.x963Representation)
        return (Base64URL.encode(point[1..<33]), Base64URL.encode(point[33..<65]))
    }
}
