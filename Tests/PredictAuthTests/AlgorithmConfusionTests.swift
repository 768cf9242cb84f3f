import Crypto
import Foundation
import PredictAuth
import Testing
import _CryptoExtras

/// `alg` is taken from an allow-list, exactly, and must be the algorithm of the key `kid` names:
/// `none`, HMAC with a public key as the secret, and cross-algorithm tokens are all refused.
@Suite struct AlgorithmConfusionTests {
    static let noneSpellings = ["none", "None", "NONE", "nOnE"]

    @Test(arguments: noneSpellings)
    func algNoneWithAnEmptySignatureIsRefused(_ alg: String) {
        let header = TokenForge.header(alg, kid: TestKeys.ecKeyID)
        let token = Base64URLText.encode(header.json) + "." + Base64URLText.encode(Fixture.claims.json) + "."
        expectRejected(token, .badSignature)
    }

    @Test(arguments: noneSpellings)
    func algNoneWithASignatureIsRefused(_ alg: String) {
        expectRejected(TokenForge.token(header: TokenForge.header(alg, kid: TestKeys.ecKeyID), signer: .es256(TestKeys.ec)), .unsupportedAlgorithm)
        expectRejected(TokenForge.token(header: TokenForge.header(alg, kid: TestKeys.ecKeyID), signer: .raw([0])), .unsupportedAlgorithm)
    }

    @Test func algNoneWithoutAKeyIDIsRefused() {
        expectRejected(TokenForge.token(header: ["alg": "none"], signer: .raw([0])), .unsupportedAlgorithm)
    }

    /// The RSA public key in every form an HS256 "key confusion" attacker might feed to HMAC.
    static var rsaPublicKeyEncodings: [[UInt8]] {
        let key = TestKeys.rsa.publicKey
        return [
            Array(key.pemRepresentation.utf8),
            Array((key.pemRepresentation + "\n").utf8),
            Array(key.pkcs1PEMRepresentation.utf8),
            Array(key.derRepresentation),
            Array(key.pkcs1DERRepresentation),
            Array(TestKeys.rsaJWK(key, keyID: TestKeys.rsaKeyID, alg: "RS256").utf8),
        ]
    }

    @Test(arguments: ["HS256", "HS384", "HS512"])
    func hmacSignedWithTheRSAPublicKeyIsRefused(_ alg: String) {
        for secret in Self.rsaPublicKeyEncodings {
            let signer: Signer = switch alg {
            case "HS256": .hs256(secret)
            case "HS384": .hs384(secret)
            default: .hs512(secret)
            }
            expectRejected(TokenForge.token(header: TokenForge.header(alg, kid: TestKeys.rsaKeyID), signer: signer), .unsupportedAlgorithm)
        }
    }

    @Test func anHMACSignatureUnderAnRS256HeaderDoesNotVerify() {
        for secret in Self.rsaPublicKeyEncodings {
            expectRejected(TokenForge.token(header: TokenForge.header("RS256", kid: TestKeys.rsaKeyID), signer: .hs256(secret)), .badSignature)
        }
    }

    @Test func anHMACSignatureWithTheECPublicKeyIsRefused() {
        let secret = Array(TestKeys.ec.publicKey.x963Representation)
        expectRejected(TokenForge.token(header: TokenForge.header("HS256", kid: TestKeys.ecKeyID), signer: .hs256(secret)), .unsupportedAlgorithm)
    }

    @Test(arguments: ["RS384", "RS512", "PS384", "PS512", "ES384", "ES512", "EdDSA", "rs256", "Rs256", "es256", "RS256 ", " ES256", "", "ES256\u{0}"])
    func algorithmsOutsideTheAllowListAreRefused(_ alg: String) {
        expectRejected(TokenForge.token(header: TokenForge.header(alg, kid: TestKeys.ecKeyID), signer: .es256(TestKeys.ec)), .unsupportedAlgorithm)
    }

    @Test(arguments: [JSONLiteral.int(256), .bool(true), .raw("null"), .strings(["ES256"]), .raw(#"{"name":"ES256"}"#)])
    func anAlgThatIsNotAStringIsRefused(_ alg: JSONLiteral) {
        expectRejected(TokenForge.token(header: ["alg": alg, "kid": .string(TestKeys.ecKeyID)], signer: .es256(TestKeys.ec)), .unsupportedAlgorithm)
    }

    @Test func aMissingAlgIsRefused() {
        expectRejected(TokenForge.token(header: ["kid": .string(TestKeys.ecKeyID)], signer: .es256(TestKeys.ec)), .unsupportedAlgorithm)
    }

    @Test func anRS256HeaderNamingTheECKeyIsRefused() {
        expectRejected(TokenForge.token(header: TokenForge.header("RS256", kid: TestKeys.ecKeyID), signer: .rs256(TestKeys.rsa)), .unsupportedAlgorithm)
        expectRejected(TokenForge.token(header: TokenForge.header("RS256", kid: TestKeys.ecKeyID), signer: .es256(TestKeys.ec)), .unsupportedAlgorithm)
    }

    @Test func anES256HeaderNamingTheRSAKeyIsRefused() {
        expectRejected(TokenForge.token(header: TokenForge.header("ES256", kid: TestKeys.rsaKeyID), signer: .es256(TestKeys.ec)), .unsupportedAlgorithm)
        expectRejected(TokenForge.token(header: TokenForge.header("ES256", kid: TestKeys.rsaKeyID), signer: .rs256(TestKeys.rsa)), .unsupportedAlgorithm)
    }

    @Test func aPS256HeaderNamingTheRS256KeyIsRefused() {
        expectRejected(TokenForge.token(header: TokenForge.header("PS256", kid: TestKeys.rsaKeyID), signer: .ps256(TestKeys.rsa)), .unsupportedAlgorithm)
    }

    @Test func anRS256HeaderNamingThePS256KeyIsRefused() {
        expectRejected(TokenForge.token(header: TokenForge.header("RS256", kid: TestKeys.pssKeyID), signer: .rs256(TestKeys.pss)), .unsupportedAlgorithm)
    }

    @Test func aPSSSignatureUnderAnRS256HeaderDoesNotVerify() {
        expectRejected(TokenForge.token(header: TokenForge.header("RS256", kid: TestKeys.rsaKeyID), signer: .ps256(TestKeys.rsa)), .badSignature)
    }

    @Test func aPKCS1SignatureUnderAPS256HeaderDoesNotVerify() {
        expectRejected(TokenForge.token(header: TokenForge.header("PS256", kid: TestKeys.pssKeyID), signer: .rs256(TestKeys.pss)), .badSignature)
    }

    @Test func theRejectionSaysWhichAlgorithmCheckFailed() throws {
        let mismatch = Fixture.verify(TokenForge.token(header: TokenForge.header("RS256", kid: TestKeys.ecKeyID), signer: .rs256(TestKeys.rsa)))
        #expect(mismatch.failure?.reason == "algorithm does not match the key")
        let none = Fixture.verify(TokenForge.token(header: TokenForge.header("none", kid: TestKeys.ecKeyID), signer: .raw([1])))
        #expect(none.failure?.reason == "algorithm not allowed")
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
