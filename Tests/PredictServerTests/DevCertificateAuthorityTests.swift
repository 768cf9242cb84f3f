import Crypto
import Foundation
import SwiftASN1
import Testing
@_spi(FixedExpiryValidationTime) import X509

@testable import PredictServer

/// Dev mode's CA: what `prepare` writes, that a TLS client trusting only `ca.pem` accepts the
/// server certificate for the loopback names and nothing else, and when files are reused or remade.
@Suite struct DevCertificateAuthorityTests {
    /// A state folder that does not exist yet, inside a fresh temporary folder.
    static func makeStateDirectory() throws -> URL {
        let parent = FileManager.default.temporaryDirectory
            .appendingPathComponent("predict-dev-ca-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        return parent.appendingPathComponent("state", isDirectory: true)
    }

    static func remove(_ stateDirectory: URL) {
        try? FileManager.default.removeItem(at: stateDirectory.deletingLastPathComponent())
    }

    static func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    static func certificate(_ url: URL) throws -> Certificate {
        try Certificate(pemEncoded: String(decoding: Data(contentsOf: url), as: UTF8.self))
    }

    static func privateKey(_ url: URL) throws -> Certificate.PrivateKey {
        try Certificate.PrivateKey(pemEncoded: String(decoding: Data(contentsOf: url), as: UTF8.self))
    }

    static func contents(_ url: URL) throws -> Data { try Data(contentsOf: url) }

    /// Whether `leaf` verifies with `root` as the only trust anchor for a client connecting to
    /// `hostname` or `ip`, at `time`.
    static func verifies(
        _ leaf: Certificate,
        root: Certificate,
        hostname: String?,
        ip: String?,
        at time: Date = Date()
    ) async -> Bool {
        var verifier = Verifier(rootCertificates: CertificateStore([root])) {
            RFC5280Policy(fixedExpiryValidationTime: time)
            ServerIdentityPolicy(serverHostname: hostname, serverIP: ip)
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore())
        if case .validCertificate = result { return true }
        return false
    }

    static func isCreated(_ origin: DevCredentials.Origin, because fragment: String) -> Bool {
        if case .created(let reason) = origin { return reason.contains(fragment) }
        return false
    }

    @Test func firstPrepareCreatesFourFilesWithKeysPrivateAndFolder0700() throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }

        let credentials = try DevCertificateAuthority.prepare(stateDirectory: state)

        #expect(credentials.created)
        #expect(Self.isCreated(credentials.certificateAuthorityOrigin, because: "ca.pem does not exist"))
        #expect(Self.isCreated(credentials.serverCertificateOrigin, because: "the CA is new"))
        #expect(credentials.caCertificate == state.appendingPathComponent("ca.pem"))
        #expect(credentials.caKey == state.appendingPathComponent("ca-key.pem"))
        #expect(credentials.serverCertificate == state.appendingPathComponent("server.pem"))
        #expect(credentials.serverKey == state.appendingPathComponent("server-key.pem"))
        #expect(try Self.mode(state) == 0o700)
        #expect(try Self.mode(credentials.caKey) == 0o600)
        #expect(try Self.mode(credentials.serverKey) == 0o600)
        #expect(try Self.mode(credentials.caCertificate) == 0o644)
        #expect(try Self.mode(credentials.serverCertificate) == 0o644)
        // Atomic writes leave no temporary files behind; only the lock file sits beside the PEMs.
        let names = try FileManager.default.contentsOfDirectory(atPath: state.path).sorted()
        #expect(names == [".lock", "ca-key.pem", "ca.pem", "server-key.pem", "server.pem"])
    }

    @Test func certificatesHaveTheDevProfile() throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }
        let now = Date()
        let credentials = try DevCertificateAuthority.prepare(stateDirectory: state, now: now)

        let ca = try Self.certificate(credentials.caCertificate)
        let caKey = try Self.privateKey(credentials.caKey)
        #expect(ca.publicKey == caKey.publicKey)
        #expect(ca.issuer == ca.subject)
        #expect("\(ca.subject)".contains("CN=predict dev CA \(DevCertificateIssuer.localHostname())"))
        #expect(try ca.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(try ca.extensions.keyUsage == KeyUsage(keyCertSign: true, cRLSign: true))
        #expect(ca.extensions.first { $0.oid == .X509ExtensionID.basicConstraints }?.critical == true)
        #expect(abs(ca.notValidAfter.timeIntervalSince(now) - 3650 * 86_400) < 2)
        #expect(P256.Signing.PublicKey(ca.publicKey) != nil)

        let server = try Self.certificate(credentials.serverCertificate)
        #expect(server.issuer == ca.subject)
        #expect(try server.extensions.basicConstraints == .notCertificateAuthority)
        #expect(try server.extensions.extendedKeyUsage?.contains(.serverAuth) == true)
        #expect(abs(server.notValidAfter.timeIntervalSince(now) - 825 * 86_400) < 2)
        #expect(abs(credentials.serverCertificateNotValidAfter.timeIntervalSince(server.notValidAfter)) < 1)
        #expect(server.serialNumber != ca.serialNumber)
        #expect(P256.Signing.PublicKey(server.publicKey) != nil)
        let names = try #require(try server.extensions.subjectAlternativeNames)
        #expect(names.contains(.dnsName("localhost")))
        #expect(names.contains(.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))))
        #expect(names.contains(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(Array(repeating: 0, count: 15) + [1])))))
    }

    @Test func serverCertificateVerifiesWithTheCAAsOnlyRootForLocalhostAndLoopbackIPs() async throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }
        let credentials = try DevCertificateAuthority.prepare(stateDirectory: state)
        let ca = try Self.certificate(credentials.caCertificate)
        let server = try Self.certificate(credentials.serverCertificate)

        #expect(await Self.verifies(server, root: ca, hostname: "localhost", ip: nil))
        #expect(await Self.verifies(server, root: ca, hostname: nil, ip: "127.0.0.1"))
        #expect(await Self.verifies(server, root: ca, hostname: nil, ip: "::1"))
    }

    @Test func serverCertificateDoesNotVerifyForAnotherHostOrAddress() async throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }
        let credentials = try DevCertificateAuthority.prepare(stateDirectory: state)
        let ca = try Self.certificate(credentials.caCertificate)
        let server = try Self.certificate(credentials.serverCertificate)

        #expect(await !Self.verifies(server, root: ca, hostname: "example.com", ip: nil))
        #expect(await !Self.verifies(server, root: ca, hostname: "localhost.example.com", ip: nil))
        #expect(await !Self.verifies(server, root: ca, hostname: nil, ip: "10.0.0.1"))
    }

    @Test func serverCertificateDoesNotVerifyAgainstAnotherDevCA() async throws {
        let state = try Self.makeStateDirectory()
        let other = try Self.makeStateDirectory()
        defer { Self.remove(state); Self.remove(other) }
        let credentials = try DevCertificateAuthority.prepare(stateDirectory: state)
        let otherCredentials = try DevCertificateAuthority.prepare(stateDirectory: other)

        let server = try Self.certificate(credentials.serverCertificate)
        let otherCA = try Self.certificate(otherCredentials.caCertificate)
        #expect(await !Self.verifies(server, root: otherCA, hostname: "localhost", ip: nil))
    }

    @Test func caNameConstraintsRejectACertificateItSignsForAnotherHost() async throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }
        let credentials = try DevCertificateAuthority.prepare(stateDirectory: state)
        let ca = try Self.certificate(credentials.caCertificate)
        let caKey = try Self.privateKey(credentials.caKey)

        func leaf(for name: String) throws -> Certificate {
            let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
            return try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(),
                publicKey: key.publicKey,
                notValidBefore: Date() - 60,
                notValidAfter: Date() + 86_400,
                issuer: ca.subject,
                subject: try DistinguishedName { CommonName("leaf") },
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    SubjectAlternativeNames([.dnsName(name)])
                },
                issuerPrivateKey: caKey
            )
        }

        // The same chain verifies for a loopback name, so only the constraint can reject the other.
        #expect(await Self.verifies(try leaf(for: "localhost"), root: ca, hostname: "localhost", ip: nil))
        #expect(await !Self.verifies(try leaf(for: "example.com"), root: ca, hostname: "example.com", ip: nil))
    }

    @Test func secondPrepareReusesEveryFileByteForByte() throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }
        let first = try DevCertificateAuthority.prepare(stateDirectory: state)
        let files = [first.caCertificate, first.caKey, first.serverCertificate, first.serverKey]
        let before = try files.map(Self.contents)

        let second = try DevCertificateAuthority.prepare(stateDirectory: state)

        #expect(second.created == false)
        #expect(second.certificateAuthorityOrigin == .reused)
        #expect(second.serverCertificateOrigin == .reused)
        #expect(try files.map(Self.contents) == before)
        #expect(abs(second.serverCertificateNotValidAfter.timeIntervalSince(first.serverCertificateNotValidAfter)) < 1)
    }

    @Test func deletedServerCertificateIsReissuedAloneByTheSameCA() async throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }
        let first = try DevCertificateAuthority.prepare(stateDirectory: state)
        let caBytes = try [Self.contents(first.caCertificate), Self.contents(first.caKey)]
        let oldServerKey = try Self.contents(first.serverKey)
        try FileManager.default.removeItem(at: first.serverCertificate)

        let second = try DevCertificateAuthority.prepare(stateDirectory: state)

        #expect(second.created)
        #expect(second.certificateAuthorityOrigin == .reused)
        #expect(Self.isCreated(second.serverCertificateOrigin, because: "server.pem does not exist"))
        #expect(try [Self.contents(second.caCertificate), Self.contents(second.caKey)] == caBytes)
        #expect(try Self.contents(second.serverKey) != oldServerKey)
        #expect(try Self.mode(second.serverKey) == 0o600)
        let ca = try Self.certificate(second.caCertificate)
        #expect(await Self.verifies(try Self.certificate(second.serverCertificate), root: ca, hostname: "localhost", ip: nil))
    }

    @Test func mismatchedServerKeyIsReissuedAlone() throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }
        let first = try DevCertificateAuthority.prepare(stateDirectory: state)
        let caBytes = try Self.contents(first.caCertificate)
        try Data(contentsOf: first.caKey).write(to: first.serverKey)

        let second = try DevCertificateAuthority.prepare(stateDirectory: state)

        #expect(second.certificateAuthorityOrigin == .reused)
        #expect(Self.isCreated(second.serverCertificateOrigin, because: "server-key.pem is not the key of server.pem"))
        #expect(try Self.contents(second.caCertificate) == caBytes)
        #expect(try Self.certificate(second.serverCertificate).publicKey == Self.privateKey(second.serverKey).publicKey)
    }

    @Test func serverCertificateOfAnotherCAIsReissued() throws {
        let state = try Self.makeStateDirectory()
        let other = try Self.makeStateDirectory()
        defer { Self.remove(state); Self.remove(other) }
        let mine = try DevCertificateAuthority.prepare(stateDirectory: state)
        let theirs = try DevCertificateAuthority.prepare(stateDirectory: other)
        try Data(contentsOf: theirs.serverCertificate).write(to: mine.serverCertificate)
        try Data(contentsOf: theirs.serverKey).write(to: mine.serverKey)

        let again = try DevCertificateAuthority.prepare(stateDirectory: state)

        #expect(again.certificateAuthorityOrigin == .reused)
        #expect(Self.isCreated(again.serverCertificateOrigin, because: "server.pem is not signed by the CA in ca.pem"))
    }

    @Test func corruptCAIsReplacedTogetherWithTheServerCertificate() async throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }
        let first = try DevCertificateAuthority.prepare(stateDirectory: state)
        let oldServer = try Self.contents(first.serverCertificate)
        try Data("not a certificate\n".utf8).write(to: first.caCertificate)

        let second = try DevCertificateAuthority.prepare(stateDirectory: state)

        #expect(Self.isCreated(second.certificateAuthorityOrigin, because: "ca.pem is not a PEM certificate"))
        #expect(Self.isCreated(second.serverCertificateOrigin, because: "the CA is new"))
        #expect(try Self.contents(second.serverCertificate) != oldServer)
        let ca = try Self.certificate(second.caCertificate)
        #expect(await Self.verifies(try Self.certificate(second.serverCertificate), root: ca, hostname: "localhost", ip: nil))
    }

    @Test func caWithIPAddressNameConstraintsFromAnEarlierVersionIsReplaced() async throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }
        let first = try DevCertificateAuthority.prepare(stateDirectory: state)
        // Re-sign the CA, same key and name, with the IP constraints earlier versions wrote.
        let old = try Self.certificate(first.caCertificate)
        let key = try Self.privateKey(first.caKey)
        let constrained = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: old.publicKey,
            notValidBefore: old.notValidBefore, notValidAfter: old.notValidAfter,
            issuer: old.subject, subject: old.subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                Critical(NameConstraints(
                    permittedDNSDomains: ["localhost"],
                    permittedIPRanges: [ASN1OctetString(contentBytes: [127, 0, 0, 1, 255, 255, 255, 255])]))
            },
            issuerPrivateKey: key)
        try Data((try constrained.serializeAsPEM().pemString + "\n").utf8).write(to: first.caCertificate)

        let second = try DevCertificateAuthority.prepare(stateDirectory: state)

        #expect(Self.isCreated(second.certificateAuthorityOrigin, because: "IP-address name constraints"))
        let ca = try Self.certificate(second.caCertificate)
        #expect(try ca.extensions.nameConstraints?.permittedIPRanges.isEmpty == true)
    }

    @Test func corruptKeyFileIsReplacedWithoutEchoingItsContents() throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }
        let first = try DevCertificateAuthority.prepare(stateDirectory: state)
        let secret = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END PRIVATE KEY-----\n"
        try Data(secret.utf8).write(to: first.caKey)

        let second = try DevCertificateAuthority.prepare(stateDirectory: state)

        guard case .created(let reason) = second.certificateAuthorityOrigin else {
            Issue.record("a corrupt ca-key.pem was reused")
            return
        }
        #expect(reason == "ca-key.pem is not a PEM private key")
        #expect(!"\(second)".contains("c2VjcmV0"))
        #expect(try Self.mode(second.caKey) == 0o600)
    }

    @Test func serverCertificateNearExpiryIsReissuedByTheSameCA() async throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }
        let start = Date()
        let first = try DevCertificateAuthority.prepare(stateDirectory: state, now: start)
        let caBytes = try Self.contents(first.caCertificate)
        let later = first.serverCertificateNotValidAfter - 3 * 86_400

        let second = try DevCertificateAuthority.prepare(stateDirectory: state, now: later)

        #expect(second.certificateAuthorityOrigin == .reused)
        #expect(Self.isCreated(second.serverCertificateOrigin, because: "server.pem expires on"))
        #expect(try Self.contents(second.caCertificate) == caBytes)
        #expect(second.serverCertificateNotValidAfter > later + 800 * 86_400)
        let ca = try Self.certificate(second.caCertificate)
        let server = try Self.certificate(second.serverCertificate)
        #expect(await Self.verifies(server, root: ca, hostname: "localhost", ip: nil, at: later))
    }

    @Test func expiredServerCertificateIsReissued() throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }
        let first = try DevCertificateAuthority.prepare(stateDirectory: state)

        let second = try DevCertificateAuthority.prepare(
            stateDirectory: state,
            now: first.serverCertificateNotValidAfter + 86_400
        )

        #expect(second.certificateAuthorityOrigin == .reused)
        #expect(Self.isCreated(second.serverCertificateOrigin, because: "server.pem expired on"))
    }

    @Test func serverCertificateWithAWeekLeftIsStillReused() throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }
        let first = try DevCertificateAuthority.prepare(stateDirectory: state)
        let later = first.serverCertificateNotValidAfter - 8 * 86_400

        let second = try DevCertificateAuthority.prepare(stateDirectory: state, now: later)

        #expect(second.created == false)
    }

    @Test func caNearExpiryIsReplacedWithANewServerCertificate() throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }
        let first = try DevCertificateAuthority.prepare(stateDirectory: state)
        let caNotValidAfter = try Self.certificate(first.caCertificate).notValidAfter
        let later = caNotValidAfter - 86_400

        let second = try DevCertificateAuthority.prepare(stateDirectory: state, now: later)

        #expect(Self.isCreated(second.certificateAuthorityOrigin, because: "ca.pem expires on"))
        #expect(Self.isCreated(second.serverCertificateOrigin, because: "the CA is new"))
        #expect(try Self.certificate(second.caCertificate).notValidAfter > later + 3000 * 86_400)
    }

    @Test func serverCertificateNeverOutlivesItsCA() throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }
        let first = try DevCertificateAuthority.prepare(stateDirectory: state)
        let caNotValidAfter = try Self.certificate(first.caCertificate).notValidAfter
        try FileManager.default.removeItem(at: first.serverCertificate)

        // 100 days before the CA ends: a full 825-day certificate would outlive it.
        let second = try DevCertificateAuthority.prepare(stateDirectory: state, now: caNotValidAfter - 100 * 86_400)

        #expect(second.certificateAuthorityOrigin == .reused)
        #expect(try Self.certificate(second.serverCertificate).notValidAfter <= caNotValidAfter)
    }

    @Test func stateDirectoryThatIsAFileIsAnErrorNamingIt() throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }
        try Data().write(to: state)

        #expect {
            try DevCertificateAuthority.prepare(stateDirectory: state)
        } throws: { error in
            (error as? DevCertificateError)?.description == "\(state.path): exists but is not a folder"
        }
    }

    @Test func existingStateFolderIsUsedAsItIs() throws {
        let state = try Self.makeStateDirectory()
        defer { Self.remove(state) }
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o750], ofItemAtPath: state.path)

        let credentials = try DevCertificateAuthority.prepare(stateDirectory: state)

        #expect(credentials.created)
        #expect(try Self.mode(state) == 0o750)
        #expect(try Self.mode(credentials.serverKey) == 0o600)
    }

    @Test func defaultStateFolderFollowsXDGStateHomeThenHome() {
        #expect(
            DevStateDirectory.defaultURL(environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/home/u"]).path
                == "/x/state/predict"
        )
        // The XDG spec says a relative path is to be ignored.
        #expect(
            DevStateDirectory.defaultURL(environment: ["XDG_STATE_HOME": "state", "HOME": "/home/u"]).path
                == "/home/u/.local/state/predict"
        )
        #expect(DevStateDirectory.defaultURL(environment: ["HOME": "/home/u"]).path == "/home/u/.local/state/predict")
    }
}
