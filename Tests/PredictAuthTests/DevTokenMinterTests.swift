import Crypto
import Foundation
import PredictAuth
import Testing

/// Dev tokens verify against the dev JWKS under the dev issuer and audience, like any other
/// issuer's tokens.
@Suite struct DevTokenMinterTests {
    static let now = Date(timeIntervalSince1970: 1_750_000_000)
    static let verifier = TokenVerifier(policy: VerificationPolicy(issuers: [DevTokenMinter.issuer], audiences: [DevTokenMinter.audience]))

    @Test func aMintedTokenVerifiesAgainstItsJWKS() throws {
        let key = DevTokenMinter.makeSigningKey()
        let keyID = DevTokenMinter.keyID(for: key.publicKey)
        let keys = try KeySet(jwks: DevTokenMinter.jwks(for: key.publicKey, keyID: keyID))
        #expect(keys.warnings.isEmpty)
        let token = DevTokenMinter.mint(
            DevTokenClaims(subject: "developer", email: "dev@predict.dev", issuedAt: Self.now, expiresAt: Self.now + 3600),
            key: key, keyID: keyID)
        let identity = try Self.verifier.verify(token, keys: keys, now: Self.now).get()
        #expect(identity == VerifiedIdentity(
            subject: "developer", email: "dev@predict.dev", emailVerified: true, issuer: "predict-dev",
            audience: ["predict"], expiresAt: Self.now + 3600, issuedAt: Self.now))
        #expect(identity.principal == "dev@predict.dev")
    }

    @Test func aTokenFromAnotherDevKeyDoesNotVerify() throws {
        let key = DevTokenMinter.makeSigningKey()
        let keyID = DevTokenMinter.keyID(for: key.publicKey)
        let keys = try KeySet(jwks: DevTokenMinter.jwks(for: key.publicKey, keyID: keyID))
        let forged = DevTokenMinter.mint(
            DevTokenClaims(subject: "developer", issuedAt: Self.now, expiresAt: Self.now + 60),
            key: DevTokenMinter.makeSigningKey(), keyID: keyID)
        #expect(Self.verifier.verify(forged, keys: keys, now: Self.now).failure?.kind == .badSignature)
    }

    @Test func claimsNeedingEscapesRoundTrip() throws {
        let key = DevTokenMinter.makeSigningKey()
        let keys = KeySet(keys: [VerificationKey(keyID: "k\"\\\n", es256: key.publicKey)])
        let subject = "a\"b\\c\u{1}d/é😀"
        let token = DevTokenMinter.mint(DevTokenClaims(subject: subject, issuedAt: Self.now, expiresAt: Self.now + 60), key: key, keyID: "k\"\\\n")
        #expect(try Self.verifier.verify(token, keys: keys, now: Self.now).get().subject == subject)
    }

    @Test func anUnverifiedDevEmailIsRefusedUnderTheDefaultPolicy() throws {
        let key = DevTokenMinter.makeSigningKey()
        let keys = KeySet(keys: [VerificationKey(keyID: "k", es256: key.publicKey)])
        let token = DevTokenMinter.mint(
            DevTokenClaims(subject: "s", email: "e@x", emailVerified: false, issuedAt: Self.now, expiresAt: Self.now + 60), key: key, keyID: "k")
        #expect(Self.verifier.verify(token, keys: keys, now: Self.now).failure?.kind == .emailNotVerified)
    }

    @Test func theKeyIDIsTheKeysThumbprint() {
        let key = DevTokenMinter.makeSigningKey()
        let keyID = DevTokenMinter.keyID(for: key.publicKey)
        #expect(keyID == DevTokenMinter.keyID(for: key.publicKey))
        #expect(keyID != DevTokenMinter.keyID(for: DevTokenMinter.makeSigningKey().publicKey))
        #expect(keyID.utf8.count == 43)
        let point = Array(key.publicKey.x963Representation)
        let canonical = #"{"crv":"P-256","kty":"EC","x":"\#(Base64URLText.encode(point[1..<33]))","y":"\#(Base64URLText.encode(point[33..<65]))"}"#
        #expect(keyID == Base64URLText.encode(SHA256.hash(data: Array(canonical.utf8))))
    }

    @Test func theSigningKeyRoundTripsThroughAPrivatePEMFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("predict-auth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("dev-signing-key.pem")
        let key = DevTokenMinter.makeSigningKey()
        try DevTokenMinter.storeSigningKey(key, to: file)
        let permissions = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(try DevTokenMinter.loadSigningKey(from: file).publicKey.rawRepresentation == key.publicKey.rawRepresentation)
        let replacement = DevTokenMinter.makeSigningKey()
        try DevTokenMinter.storeSigningKey(replacement, to: file)
        #expect(try DevTokenMinter.loadSigningKey(from: file).publicKey.rawRepresentation == replacement.publicKey.rawRepresentation)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["dev-signing-key.pem"])
        let pem = DevTokenMinter.pemRepresentation(of: key)
        #expect(try DevTokenMinter.signingKey(pemRepresentation: pem).rawRepresentation == key.rawRepresentation)
        #expect(throws: (any Error).self) { try DevTokenMinter.signingKey(pemRepresentation: "not a key") }
    }
}
