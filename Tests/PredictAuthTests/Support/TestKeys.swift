import Crypto
import Foundation
import PredictAuth
import _CryptoExtras

/// The keys of the attack suite, made once per process (RSA generation is slow), and the JWKS
/// a production-like verifier trusts: one RS256, one PS256 and one ES256 key, plus a 1024-bit
/// RSA key that must be skipped.
enum TestKeys {
    static let rsaKeyID = "rsa-2048"
    static let pssKeyID = "pss-2048"
    static let ecKeyID = "ec-p256"
    static let weakKeyID = "weak-rsa-1024"

    static let rsa = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let pss = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let ec = P256.Signing.PrivateKey()
    static let weakRSA = try! _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024))
    /// Keys the verifier does not trust: what an attacker signs with.
    static let attackerEC = P256.Signing.PrivateKey()

    /// The trusted JWKS: RS256 with `alg`, PS256 with `alg`, ES256 without `alg` (so it takes the
    /// documented default), and the weak key.
    static let jwks = Data("""
        {"keys":[\(rsaJWK(rsa.publicKey, keyID: rsaKeyID, alg: "RS256")),\
        \(rsaJWK(pss.publicKey, keyID: pssKeyID, alg: "PS256")),\
        \(ecJWK(ec.publicKey, keyID: ecKeyID, alg: nil)),\
        \(rsaJWK(weakRSA.publicKey, keyID: weakKeyID, alg: "RS256"))]}
        """.utf8)

    static let keySet = try! KeySet(jwks: jwks)

    /// A JWK for an RSA public key, as issuers publish them.
    static func rsaJWK(_ key: _RSA.Signing.PublicKey, keyID: String, alg: String?) -> String {
        let primitives = try! key.getKeyPrimitives()
        var members = [
            #""kty":"RSA""#, #""use":"sig""#, #""kid":"\#(keyID)""#,
            #""n":"\#(Base64URLText.encode(primitives.modulus))""#,
            #""e":"\#(Base64URLText.encode(primitives.publicExponent))""#,
        ]
        if let alg { members.append(#""alg":"\#(alg)""#) }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// A JWK for a P-256 public key.
    static func ecJWK(_ key: P256.Signing.PublicKey, keyID: String, alg: String?) -> String {
        let point = Array(key.x963Representation)
        var members = [
            #""kty":"EC""#, #""crv":"P-256""#, #""kid":"\#(keyID)""#,
            #""x":"\#(Base64URLText.encode(point[1..<33]))""#,
            #""y":"\#(Base64URLText.encode(point[33..<65]))""#,
        ]
        if let alg { members.append(#""alg":"\#(alg)""#) }
        return "{" + members.joined(separator: ",") + "}"
    }
}

/// Base64url for building tests' tokens, independent of the module's own codec.
enum Base64URLText {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func encode(_ text: String) -> String {
        encode(Array(text.utf8))
    }

    static func decode(_ text: some StringProtocol) -> [UInt8] {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Array(Data(base64Encoded: base64)!)
    }
}
