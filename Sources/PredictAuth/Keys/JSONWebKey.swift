import Crypto
import Foundation
import _CryptoExtras

/// One JWK (RFC 7517 §4, RFC 7518 §6) read into a ``VerificationKey``, or refused with the
/// reason ``KeySet`` reports.
enum JSONWebKey {
    /// Members that only a private key has. An issuer publishing one has leaked its key; such
    /// an entry is refused rather than trusted.
    static let privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]

    static func verificationKey(from entry: JSONValue) throws(KeySetError) -> VerificationKey {
        guard let members = entry.object else { throw KeySetError("not a JSON object") }
        guard let keyIDValue = members["kid"] else { throw KeySetError("no kid") }
        guard let keyID = keyIDValue.string, !keyID.isEmpty else { throw KeySetError("kid is not a non-empty string") }
        if let use = members["use"], use.string != "sig" {
            throw KeySetError("use is not \"sig\"")
        }
        if let operations = members["key_ops"] {
            guard let list = operations.array, list.allSatisfy({ $0.string != nil }), list.contains(.string("verify")) else {
                throw KeySetError("key_ops does not allow \"verify\"")
            }
        }
        var declared: SignatureAlgorithm?
        if let algorithm = members["alg"] {
            guard let name = algorithm.string, let supported = SignatureAlgorithm(rawValue: name) else {
                throw KeySetError("unsupported alg")
            }
            declared = supported
        }
        if privateMembers.contains(where: { members[$0] != nil }) {
            throw KeySetError("contains private key material")
        }
        switch members["kty"] {
        case .string("RSA"):
            return try rsaKey(members, keyID: keyID, algorithm: declared ?? .rs256)
        case .string("EC"):
            return try p256Key(members, keyID: keyID, algorithm: declared ?? .es256)
        case nil:
            throw KeySetError("no kty")
        default:
            throw KeySetError("unsupported kty")
        }
    }

    private static func rsaKey(_ members: [String: JSONValue], keyID: String, algorithm: SignatureAlgorithm) throws(KeySetError) -> VerificationKey {
        guard algorithm == .rs256 || algorithm == .ps256 else { throw KeySetError("alg does not fit kty RSA") }
        let modulus = try unsignedInteger("n", in: members)
        let exponent = try unsignedInteger("e", in: members)
        let modulusBits = modulus.count * 8 - modulus[0].leadingZeroBitCount
        guard modulusBits >= VerificationKey.minimumRSABits else {
            throw KeySetError("RSA modulus of \(modulusBits) bits is under the \(VerificationKey.minimumRSABits)-bit minimum")
        }
        // RFC 7518 allows any odd exponent over 1; BoringSSL also caps its size.
        guard exponent.count <= 4, exponent.last! & 1 == 1, exponent != [1] else {
            throw KeySetError("unsupported RSA exponent")
        }
        let key: _RSA.Signing.PublicKey
        do {
            key = try _RSA.Signing.PublicKey(n: Data(modulus), e: Data(exponent))
        } catch {
            throw KeySetError("not a valid RSA public key")
        }
        return algorithm == .ps256
            ? try VerificationKey(keyID: keyID, ps256: key)
            : try VerificationKey(keyID: keyID, rs256: key)
    }

    private static func p256Key(_ members: [String: JSONValue], keyID: String, algorithm: SignatureAlgorithm) throws(KeySetError) -> VerificationKey {
        guard members["crv"] == .string("P-256") else { throw KeySetError("unsupported crv") }
        guard algorithm == .es256 else { throw KeySetError("alg does not fit crv P-256") }
        // RFC 7518 §6.2.1.2: coordinates are the full 32 bytes, leading zeros included.
        guard let x = members["x"]?.string.flatMap(Base64URL.decode), x.count == 32,
              let y = members["y"]?.string.flatMap(Base64URL.decode), y.count == 32
        else { throw KeySetError("x and y are not 32-byte strict base64url coordinates") }
        do {
            return VerificationKey(keyID: keyID, es256: try P256.Signing.PublicKey(x963Representation: [0x04] + x + y))
        } catch {
            throw KeySetError("not a point on P-256")
        }
    }

    /// Member `name` as the bytes of a JWK unsigned integer: strict base64url, big-endian,
    /// without leading zero bytes (RFC 7518 §2, "Base64urlUInt").
    private static func unsignedInteger(_ name: String, in members: [String: JSONValue]) throws(KeySetError) -> [UInt8] {
        guard let bytes = members[name]?.string.flatMap(Base64URL.decode), let first = bytes.first, first != 0 else {
            throw KeySetError("\(name) is not a minimal strict base64url unsigned integer")
        }
        return bytes
    }
}
