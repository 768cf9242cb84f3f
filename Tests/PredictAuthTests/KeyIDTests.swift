import PredictAuth
import Testing

/// `kid` must be a non-empty string naming a key of the key set exactly; anything else is an
/// unknown key, and there is no fallback to trying every key.
@Suite struct KeyIDTests {
    @Test func anUnknownKeyIDIsRefused() {
        expectRejected(TokenForge.token(header: TokenForge.header("ES256", kid: "rotated-away"), signer: .es256(TestKeys.ec)), .unknownKeyID)
    }

    @Test func aTokenWithoutAKeyIDIsRefusedEvenIfAKeyWouldVerifyIt() {
        expectRejected(TokenForge.token(header: ["alg": "ES256", "typ": "JWT"], signer: .es256(TestKeys.ec)), .unknownKeyID)
    }

    @Test func anEmptyKeyIDIsRefused() {
        expectRejected(TokenForge.token(header: TokenForge.header("ES256", kid: ""), signer: .es256(TestKeys.ec)), .unknownKeyID)
    }

    @Test(arguments: [JSONLiteral.int(1), .raw("null"), .bool(true), .strings([TestKeys.ecKeyID]), .raw(#"{"kid":"ec-p256"}"#)])
    func aKeyIDThatIsNotAStringIsRefused(_ kid: JSONLiteral) {
        expectRejected(TokenForge.token(header: ["alg": "ES256", "kid": kid], signer: .es256(TestKeys.ec)), .unknownKeyID)
    }

    @Test(arguments: [
        "../../etc/passwd", "' OR 1=1", "ec-p256' OR '1'='1", "ec-p256\u{0}", "\u{0}ec-p256", "ec-p256 ", "EC-P256",
        "ec-p256/../ec-p256", "%65c-p256", "*", "https://attacker.example/jwks.json",
    ])
    func injectedKeyIDsMatchNoKey(_ kid: String) {
        expectRejected(TokenForge.token(header: TokenForge.header("ES256", kid: kid), signer: .es256(TestKeys.ec)), .unknownKeyID)
    }

    @Test func aKeyIDIsMatchedByteForByteNotByCanonicalEquivalence() {
        // U+212A KELVIN SIGN is canonically equivalent to "K": equal as Swift Strings.
        let keys = KeySet(keys: [VerificationKey(keyID: "key-K", es256: TestKeys.ec.publicKey)])
        #expect("key-\u{212A}" == "key-K")
        expectAccepted(TokenForge.token(header: TokenForge.header("ES256", kid: "key-K"), signer: .es256(TestKeys.ec)), keys: keys)
        expectRejected(TokenForge.token(header: TokenForge.header("ES256", kid: "key-\u{212A}"), signer: .es256(TestKeys.ec)), .unknownKeyID, keys: keys)
    }

    @Test func aTokenSignedByTheWeakKeyItNamesIsAnUnknownKey() {
        expectRejected(TokenForge.token(header: TokenForge.header("RS256", kid: TestKeys.weakKeyID), signer: .rs256(TestKeys.weakRSA)), .unknownKeyID)
    }

    @Test func aTokenSignedByAnAttackerKeyUnderATrustedKeyIDDoesNotVerify() {
        expectRejected(TokenForge.token(header: TokenForge.header("ES256", kid: TestKeys.ecKeyID), signer: .es256(TestKeys.attackerEC)), .badSignature)
    }

    @Test func anEmptyKeySetKnowsNoKey() {
        expectRejected(TokenForge.valid(.es256), .unknownKeyID, keys: KeySet(keys: []))
    }
}
