import Foundation
import Crypto
import SwiftASN1
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A certificate with its private key, in memory.
struct IssuedCredential {
    var certificate: Certificate
    var privateKey: Certificate.PrivateKey
}

/// Makes dev mode's certificates: a local CA, and a TLS server certificate it signs for the
/// loopback names. All keys are ECDSA P-256, signed with SHA-256.
enum DevCertificateIssuer {
    /// The names a dev server certificate covers, and that a reused one must cover.
    static let serverDNSNames = ["localhost"]
    /// 127.0.0.1 and ::1, as SAN iPAddress bytes.
    static let serverIPAddresses: [[UInt8]] = [[127, 0, 0, 1], Array(repeating: 0, count: 15) + [1]]

    /// Ten years: the CA is what users trust, so it should rarely change.
    static let certificateAuthorityLifetime: TimeInterval = 3650 * 86_400
    /// 825 days, the longest lifetime Apple's TLS clients accept from a locally trusted CA.
    static let serverCertificateLifetime: TimeInterval = 825 * 86_400
    /// Start dates are backdated so a peer whose clock runs a little behind still accepts them.
    static let clockSkewAllowance: TimeInterval = 3_600

    /// A self-signed CA for `hostname`, with a random serial. Its name constraints restrict the
    /// DNS names it can vouch for to localhost, so a leaked CA key cannot impersonate a real host
    /// by name.
    static func issueCertificateAuthority(now: Date, hostname: String) throws -> IssuedCredential {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName {
            OrganizationName("predict development")
            CommonName("predict dev CA \(hostname)")
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            // DNS only: BoringSSL (swift-nio-ssl's TLS) fails any chain whose CA carries
            // IP-address name constraints, so the loopback IPs cannot be constrained too.
            Critical(NameConstraints(permittedDNSDomains: serverDNSNames))
            SubjectKeyIdentifier(hash: key.publicKey)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now - clockSkewAllowance,
            notValidAfter: now + certificateAuthorityLifetime,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: key
        )
        return IssuedCredential(certificate: certificate, privateKey: key)
    }

    /// A TLS server certificate for localhost, 127.0.0.1 and ::1 signed by `authority`, valid for
    /// ``serverCertificateLifetime`` but never past the CA's own end.
    static func issueServerCertificate(now: Date, authority: IssuedCredential) throws -> IssuedCredential {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let subject = try DistinguishedName {
            OrganizationName("predict development")
            CommonName("predict dev server")
        }
        let authorityKeyIdentifier =
            try authority.certificate.extensions.subjectKeyIdentifier?.keyIdentifier
            ?? SubjectKeyIdentifier(hash: authority.certificate.publicKey).keyIdentifier
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectAlternativeNames(
                serverDNSNames.map { GeneralName.dnsName($0) }
                    + serverIPAddresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: $0[...])) }
            )
            SubjectKeyIdentifier(hash: key.publicKey)
            AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now - clockSkewAllowance,
            notValidAfter: min(now + serverCertificateLifetime, authority.certificate.notValidAfter),
            issuer: authority.certificate.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: authority.privateKey
        )
        return IssuedCredential(certificate: certificate, privateKey: key)
    }

    /// This machine's host name for the CA's name, so a user who trusts several machines' dev CAs
    /// can tell them apart. `gethostname`, not Foundation's, which may wait on DNS.
    static func localHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}
