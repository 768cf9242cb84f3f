import Foundation
import PredictAuth
import Testing
@testable import PredictServer

/// Dev mode's token issuer: the key is kept across starts, the JWKS it writes verifies the
/// token it mints, and the secrets are private files.
@Suite struct DevTokenAuthorityTests {
    @Test func theMintedTokenVerifiesAgainstTheWrittenJWKSAndTheKeyIsReused() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("predict-devtoken-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let first = try DevTokenAuthority.prepare(stateDirectory: state)
        let keys = try KeySet(jwks: Data(contentsOf: first.jwksFile))
        let verifier = TokenVerifier(policy: VerificationPolicy(issuers: [DevTokenMinter.issuer], audiences: [DevTokenMinter.audience]))
        let identity = try verifier.verify(first.token, keys: keys, now: Date()).get()
        #expect(identity.principal == DevTokenAuthority.principal)
        #expect(identity.expiresAt.timeIntervalSinceNow > 11 * 3600)
        #expect(try String(contentsOf: first.tokenFile, encoding: .utf8) == first.token + "\n")
        for file in [first.signingKeyFile, first.tokenFile] {
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file.lastPathComponent)")
        }

        let keyBefore = try Data(contentsOf: first.signingKeyFile)
        let second = try DevTokenAuthority.prepare(stateDirectory: state)
        #expect(try Data(contentsOf: second.signingKeyFile) == keyBefore)
        // The first token still verifies against the second run's JWKS: the key did not change.
        let keysAfter = try KeySet(jwks: Data(contentsOf: second.jwksFile))
        _ = try verifier.verify(first.token, keys: keysAfter, now: Date()).get()
    }
}
