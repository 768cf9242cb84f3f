import Foundation
import Synchronization
import Testing
@testable import PredictAuth

/// The Authenticator around the verifier: the Bearer scheme, the verified-token cache, expiry
/// and the unknown-kid refresh signal.
@Suite struct AuthenticatorTests {
    /// Counts how often the key set is read, i.e. how often a token is really verified.
    final class Probe: Sendable {
        let keyReads = Atomic<Int>(0)
        let refreshes = Atomic<Int>(0)
        let clock = Mutex(Fixture.now)
    }

    static func authenticator(_ probe: Probe, capacity: Int = 4096) -> Authenticator {
        Authenticator(
            policy: Fixture.policy,
            keys: { probe.keyReads.add(1, ordering: .relaxed); return TestKeys.keySet },
            onUnknownKeyID: { probe.refreshes.add(1, ordering: .relaxed) },
            cacheCapacity: capacity,
            now: { probe.clock.withLock { $0 } })
    }

    @Test func aRepeatedTokenIsVerifiedOnceThenServedFromTheCache() throws {
        let probe = Probe()
        let authenticator = Self.authenticator(probe)
        let token = "Bearer " + TokenForge.valid(.rs256)
        for _ in 0..<5 {
            let identity = try authenticator.authenticate(authorization: token).get()
            #expect(identity.principal == "alice@example.com")
        }
        #expect(probe.keyReads.load(ordering: .relaxed) == 1)
    }

    @Test func aCachedTokenStopsWorkingWhenItExpires() throws {
        let probe = Probe()
        let authenticator = Self.authenticator(probe)
        let token = "Bearer " + TokenForge.valid(.es256)
        let identity = try authenticator.authenticate(authorization: token).get()
        #expect(authenticator.isStillValid(identity))
        // exp is now + 3300 s; the leeway is 60 s.
        probe.clock.withLock { $0 = Fixture.now + 3300 + 61 }
        #expect(!authenticator.isStillValid(identity))
        guard case .failure(let rejection) = authenticator.authenticate(authorization: token) else {
            Issue.record("an expired cached token was accepted")
            return
        }
        #expect(rejection.kind == .expired)
    }

    @Test(arguments: ["bearer ", "BEARER ", "Bearer "])
    func theBearerSchemeIsCaseInsensitive(scheme: String) throws {
        let authenticator = Self.authenticator(Probe())
        _ = try authenticator.authenticate(authorization: scheme + TokenForge.valid(.es256)).get()
    }

    @Test(arguments: ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer  two spaces", "Token abc"])
    func anAuthorizationThatIsNotABearerTokenIsMalformed(authorization: String) {
        let probe = Probe()
        guard case .failure(let rejection) = Self.authenticator(probe).authenticate(authorization: authorization) else {
            Issue.record("accepted '\(authorization)'")
            return
        }
        #expect(rejection.kind == .malformed)
        #expect(probe.keyReads.load(ordering: .relaxed) == 0)
    }

    @Test func aBareTokenWithoutTheSchemeIsRefused() {
        guard case .failure(let rejection) = Self.authenticator(Probe()).authenticate(authorization: TokenForge.valid(.es256)) else {
            Issue.record("accepted a token without 'Bearer '")
            return
        }
        #expect(rejection.kind == .malformed)
    }

    @Test func anUnknownKeyIDAsksTheKeySourcesToRefresh() {
        let probe = Probe()
        let token = TokenForge.token(header: TokenForge.header("ES256", kid: "rotated-key"), signer: .es256(TestKeys.ec))
        guard case .failure(let rejection) = Self.authenticator(probe).authenticate(authorization: "Bearer " + token) else {
            Issue.record("accepted an unknown kid")
            return
        }
        #expect(rejection.kind == .unknownKeyID)
        #expect(probe.refreshes.load(ordering: .relaxed) == 1)
    }

    @Test func rejectedTokensAreNotCached() {
        let probe = Probe()
        let authenticator = Self.authenticator(probe)
        let forged = "Bearer " + TokenForge.token(header: TokenForge.header("ES256", kid: TestKeys.ecKeyID), signer: .es256(TestKeys.attackerEC))
        for _ in 0..<3 {
            if case .success = authenticator.authenticate(authorization: forged) { Issue.record("a forged token was accepted") }
        }
        #expect(probe.keyReads.load(ordering: .relaxed) == 3)
    }

    @Test func theCacheStaysWithinItsCapacity() {
        let cache = VerifiedTokenCache(capacity: 8)
        let identity = VerifiedIdentity(subject: "s", email: nil, emailVerified: false, issuer: "i", audience: ["a"], expiresAt: Fixture.now + 60, issuedAt: nil)
        for i in 0..<100 {
            cache.store(identity, for: Substring("token-\(i)"), validUntil: 1e12, now: 0)
            #expect(cache.count <= 8)
        }
        #expect(cache.identity(for: "token-99", now: 0) != nil)
    }
}
