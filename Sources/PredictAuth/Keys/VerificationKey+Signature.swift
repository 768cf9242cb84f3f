import Crypto
import _CryptoExtras

extension VerificationKey {
    /// Whether `signature` is this key's signature, by its algorithm, of `signingInput`.
    ///
    /// Lengths are checked here rather than left to the library: an RSA signature must be
    /// exactly the modulus length, and an ES256 signature exactly the 64-byte `r || s` (a DER
    /// signature is refused), with `r` and `s` in 1..<n.
    func isValidSignature(_ signature: [UInt8], over signingInput: ArraySlice<UInt8>) -> Bool {
        let digest = SHA256.hash(data: signingInput)
        switch material {
        case .rsa(let key, let modulusBytes):
            guard signature.count == modulusBytes else { return false }
            let padding: _RSA.Signing.Padding = algorithm == .ps256 ? .PSS : .insecurePKCS1v1_5
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: digest, padding: padding)
        case .p256(let key):
            guard signature.count == 64,
                  Self.isP256Scalar(signature[0..<32]),
                  Self.isP256Scalar(signature[32..<64]),
                  let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
            else { return false }
            return key.isValidSignature(ecdsa, for: digest)
        }
    }

    /// The order n of the P-256 group, big-endian.
    private static let p256Order: [UInt8] = [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
    ]

    /// Whether 32 big-endian bytes are in 1..<n. BoringSSL checks this too; checking it here
    /// keeps the "psychic signature" class of bug (r = s = 0 accepted) out whatever the library.
    private static func isP256Scalar(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.contains(where: { $0 != 0 }) else { return false }
        for (byte, limit) in zip(bytes, p256Order) where byte != limit {
            return byte < limit
        }
        return false
    }
}
