import Crypto
import Foundation
import PredictAuth
import Testing

/// ES256 signatures are the 64-byte `r || s` of JWS, with r and s in 1..<n: degenerate values
/// (the "psychic signature" r = s = 0), out-of-range values, DER and other lengths are refused.
@Suite struct ECDSASignatureTests {
    /// The order n of the P-256 group.
    static let order: [UInt8] = [
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
    ]
    static let zero = [UInt8](repeating: 0, count: 32)
    static let ones = [UInt8](repeating: 0xFF, count: 32)

    static func token(signature: [UInt8]) -> String {
        TokenForge.token(header: TokenForge.header("ES256", kid: TestKeys.ecKeyID), signer: .raw(signature))
    }

    static var validSignature: [UInt8] {
        Base64URLText.decode(TokenForge.segments(TokenForge.valid(.es256))[2])
    }

    @Test func thePsychicSignatureAllZeroIsRefused() {
        expectRejected(Self.token(signature: Self.zero + Self.zero), .badSignature)
    }

    @Test func rAndSEqualToTheGroupOrderAreRefused() {
        expectRejected(Self.token(signature: Self.order + Self.order), .badSignature)
    }

    @Test func rOrSOutOfRangeAreRefused() {
        let valid = Self.validSignature
        let r = Array(valid[0..<32])
        let s = Array(valid[32..<64])
        expectRejected(Self.token(signature: Self.zero + s), .badSignature)
        expectRejected(Self.token(signature: r + Self.zero), .badSignature)
        expectRejected(Self.token(signature: Self.order + s), .badSignature)
        expectRejected(Self.token(signature: r + Self.order), .badSignature)
        expectRejected(Self.token(signature: Self.ones + Self.ones), .badSignature)
        expectRejected(Self.token(signature: r + Self.ones), .badSignature)
    }

    @Test func theLibraryAlsoRefusesDegenerateSignatures() throws {
        // The verifier checks r and s itself; this pins that swift-crypto would refuse them too.
        let key = TestKeys.ec.publicKey
        let digest = SHA256.hash(data: Array("header.payload".utf8))
        for raw in [Self.zero + Self.zero, Self.order + Self.order, Self.ones + Self.ones] {
            if let signature = try? P256.Signing.ECDSASignature(rawRepresentation: raw) {
                #expect(!key.isValidSignature(signature, for: digest))
            }
        }
    }

    @Test func aDEREncodedValidSignatureIsRefused() throws {
        let token = TokenForge.valid(.es256)
        let parts = TokenForge.segments(token)
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: Base64URLText.decode(parts[2]))
        let der = Array(signature.derRepresentation)
        #expect(TestKeys.ec.publicKey.isValidSignature(signature, for: SHA256.hash(data: Array((parts[0] + "." + parts[1]).utf8))))
        expectRejected(TokenForge.replacingSignature(of: token) { _ in der }, .badSignature)
    }

    @Test(arguments: [0, 32, 63, 65, 96, 128])
    func aSignatureOfAnotherLengthIsRefused(_ length: Int) {
        let valid = Self.validSignature
        let resized = length <= 64 ? Array(valid.prefix(length)) : valid + [UInt8](repeating: 0, count: length - 64)
        expectRejected(TokenForge.replacingSignature(of: TokenForge.valid(.es256)) { _ in resized }, .badSignature)
    }

    @Test func aLeadingZeroPaddedSignatureIsRefused() {
        let valid = Self.validSignature
        let padded = [0] + Array(valid[0..<32]) + [0] + Array(valid[32..<64])
        expectRejected(TokenForge.replacingSignature(of: TokenForge.valid(.es256)) { _ in padded }, .badSignature)
    }
}
