import Foundation
import PredictAuth
import Testing

/// Any change to the signed bytes, or to the signature, fails the signature check; claims of a
/// token whose signature fails are never looked at.
@Suite struct SignatureTamperingTests {
    static let algorithms: [SignatureAlgorithm] = [.rs256, .ps256, .es256]

    @Test(arguments: algorithms)
    func aStrippedSignatureIsRefused(_ algorithm: SignatureAlgorithm) {
        let parts = TokenForge.segments(TokenForge.valid(algorithm))
        expectRejected(parts[0] + "." + parts[1] + ".", .badSignature)
    }

    @Test(arguments: algorithms)
    func aTruncatedSignatureIsRefused(_ algorithm: SignatureAlgorithm) {
        let token = TokenForge.valid(algorithm)
        expectRejected(TokenForge.replacingSignature(of: token) { Array($0.dropLast(1)) }, .badSignature)
        expectRejected(TokenForge.replacingSignature(of: token) { Array($0.prefix($0.count / 2)) }, .badSignature)
        expectRejected(TokenForge.replacingSignature(of: token) { Array($0.prefix(1)) }, .badSignature)
        // Cutting the text rather than the bytes can leave a length base64url cannot have.
        let parts = TokenForge.segments(token)
        var cut = parts[2]
        while cut.count % 4 != 1 { cut.removeLast() }
        expectRejected(parts[0] + "." + parts[1] + "." + cut, .malformed)
    }

    @Test(arguments: algorithms)
    func everyBitFlipOfTheSignatureIsRefused(_ algorithm: SignatureAlgorithm) {
        let token = TokenForge.valid(algorithm)
        let length = Base64URLText.decode(TokenForge.segments(token)[2]).count
        for bit in stride(from: 0, to: length * 8, by: 13) {
            let flipped = TokenForge.replacingSignature(of: token) { signature in
                var copy = signature
                copy[bit / 8] ^= 1 << (bit % 8)
                return copy
            }
            expectRejected(flipped, .badSignature)
        }
    }

    @Test(arguments: algorithms)
    func aBitFlipInTheHeaderIsRefused(_ algorithm: SignatureAlgorithm) {
        // The flipped bit is in an ignored parameter, so the header still parses and names the
        // same key: only the signature can catch it.
        let token = TokenForge.valid(algorithm)
        let parts = TokenForge.segments(token)
        var header = Base64URLText.decode(parts[0])
        let typ = Array(#""JWT""#.utf8)
        let index = header.firstRange(of: typ)!.lowerBound + 3
        header[index] ^= 0x20
        let forged = Base64URLText.encode(header) + "." + parts[1] + "." + parts[2]
        expectRejected(forged, .badSignature)
    }

    @Test(arguments: algorithms)
    func aBitFlipInTheClaimsIsRefused(_ algorithm: SignatureAlgorithm) {
        let token = TokenForge.valid(algorithm)
        let parts = TokenForge.segments(token)
        var claims = Base64URLText.decode(parts[1])
        let email = Array("alice".utf8)
        let index = claims.firstRange(of: email)!.lowerBound
        claims[index] ^= 0x01 // "alice" -> "`lice"
        expectRejected(parts[0] + "." + Base64URLText.encode(claims) + "." + parts[2], .badSignature)
    }

    @Test func aSignatureMovedToOtherClaimsIsRefused() {
        let alice = TokenForge.segments(TokenForge.valid(.es256))
        let mallory = TokenForge.segments(TokenForge.token(
            header: TokenForge.header("ES256", kid: TestKeys.ecKeyID),
            claims: Fixture.claims.setting("email", "mallory@example.com"),
            signer: .es256(TestKeys.attackerEC)))
        expectRejected(mallory[0] + "." + mallory[1] + "." + alice[2], .badSignature)
    }

    @Test func anRSASignatureOfWrongLengthOrOutOfRangeIsRefused() {
        let token = TokenForge.valid(.rs256)
        expectRejected(TokenForge.replacingSignature(of: token) { [0] + $0 }, .badSignature)
        expectRejected(TokenForge.replacingSignature(of: token) { $0 + [0] }, .badSignature)
        expectRejected(TokenForge.replacingSignature(of: token) { [UInt8](repeating: 0, count: $0.count) }, .badSignature)
        expectRejected(TokenForge.replacingSignature(of: token) { [UInt8](repeating: 0xFF, count: $0.count) }, .badSignature)
        let modulus = Array(try! TestKeys.rsa.publicKey.getKeyPrimitives().modulus)
        expectRejected(TokenForge.replacingSignature(of: token) { _ in modulus }, .badSignature)
    }

    @Test func garbageClaimsUnderABadSignatureAreReportedAsTheSignature() {
        // Claims are read only after the signature verifies.
        let token = TokenForge.token(headerJSON: TokenForge.header("ES256", kid: TestKeys.ecKeyID).json, claimsJSON: "not json", signer: .es256(TestKeys.attackerEC))
        expectRejected(token, .badSignature)
    }
}
