import Foundation
import SwiftASN1
import X509

/// Why a credential on disk cannot be kept: one line naming the file, for ``DevCredentials/Origin``.
struct UnusableCredential: Error {
    var reason: String
}

/// Decides whether the CA and server certificate already in a state folder can be reused, by
/// checking the same things a TLS client and a later reissue will rely on.
enum DevCredentialInspector {
    /// Loads the CA if `ca.pem` and `ca-key.pem` parse, belong together, make a self-signed CA and
    /// stay valid until `requiredUntil`.
    static func loadCertificateAuthority(
        certificate certificateURL: URL,
        key keyURL: URL,
        now: Date,
        requiredUntil: Date
    ) throws(UnusableCredential) -> IssuedCredential {
        let (certificate, key) = try readMatchingPair(certificate: certificateURL, key: keyURL)
        let name = certificateURL.lastPathComponent
        guard case .isCertificateAuthority = try decoded(of: certificateURL, certificate.extensions.basicConstraints)
        else {
            throw UnusableCredential(reason: "\(name) is not a CA certificate (basicConstraints CA:true is missing)")
        }
        guard certificate.issuer == certificate.subject,
            certificate.publicKey.isValidSignature(certificate.signature, for: certificate)
        else {
            throw UnusableCredential(reason: "\(name) is not self-signed")
        }
        if let constraints = try decoded(of: certificateURL, certificate.extensions.nameConstraints),
           !constraints.permittedIPRanges.isEmpty || !constraints.excludedIPRanges.isEmpty {
            // Earlier dev CAs carried them; BoringSSL fails every chain under such a CA.
            throw UnusableCredential(reason: "\(name) has IP-address name constraints, which BoringSSL cannot verify")
        }
        try checkValidity(of: certificate, named: name, now: now, requiredUntil: requiredUntil)
        return IssuedCredential(certificate: certificate, privateKey: key)
    }

    /// Checks that `server.pem` and `server-key.pem` parse, belong together, are signed by
    /// `authority`, are a TLS server certificate covering every loopback name, and stay valid
    /// until `requiredUntil`. Returns the certificate.
    static func checkServerCertificate(
        certificate certificateURL: URL,
        key keyURL: URL,
        authority: Certificate,
        now: Date,
        requiredUntil: Date
    ) throws(UnusableCredential) -> Certificate {
        let (certificate, _) = try readMatchingPair(certificate: certificateURL, key: keyURL)
        let name = certificateURL.lastPathComponent
        guard certificate.issuer == authority.subject,
            authority.publicKey.isValidSignature(certificate.signature, for: certificate)
        else {
            throw UnusableCredential(reason: "\(name) is not signed by the CA in ca.pem")
        }
        guard case .notCertificateAuthority = try decoded(of: certificateURL, certificate.extensions.basicConstraints)
        else {
            throw UnusableCredential(reason: "\(name) is not a leaf certificate (basicConstraints CA:false is missing)")
        }
        let usages = try decoded(of: certificateURL, certificate.extensions.extendedKeyUsage)
        guard let usages, usages.contains(.serverAuth) else {
            throw UnusableCredential(reason: "\(name) is not for TLS servers (extendedKeyUsage serverAuth is missing)")
        }
        let names = try decoded(of: certificateURL, certificate.extensions.subjectAlternativeNames)
            ?? SubjectAlternativeNames()
        var dnsNames: Set<String> = []
        var ipAddresses: Set<[UInt8]> = []
        for name in names {
            switch name {
            case .dnsName(let dnsName): dnsNames.insert(dnsName.lowercased())
            case .ipAddress(let address): ipAddresses.insert(Array(address.bytes))
            default: continue
            }
        }
        guard dnsNames.isSuperset(of: DevCertificateIssuer.serverDNSNames),
            ipAddresses.isSuperset(of: DevCertificateIssuer.serverIPAddresses)
        else {
            throw UnusableCredential(reason: "\(name) does not cover localhost, 127.0.0.1 and ::1")
        }
        try checkValidity(of: certificate, named: name, now: now, requiredUntil: requiredUntil)
        return certificate
    }

    /// A certificate and its private key, read and checked to belong together.
    private static func readMatchingPair(
        certificate certificateURL: URL, key keyURL: URL
    ) throws(UnusableCredential) -> (Certificate, Certificate.PrivateKey) {
        let certificate = try readCertificate(certificateURL)
        let key = try readPrivateKey(keyURL)
        guard key.publicKey == certificate.publicKey else {
            throw UnusableCredential(reason: "\(keyURL.lastPathComponent) is not the key of \(certificateURL.lastPathComponent)")
        }
        return (certificate, key)
    }

    private static func readCertificate(_ url: URL) throws(UnusableCredential) -> Certificate {
        let text = try readText(url)
        do {
            return try Certificate(pemEncoded: text)
        } catch {
            throw UnusableCredential(reason: "\(url.lastPathComponent) is not a PEM certificate (\(error))")
        }
    }

    private static func readPrivateKey(_ url: URL) throws(UnusableCredential) -> Certificate.PrivateKey {
        let text = try readText(url)
        do {
            return try Certificate.PrivateKey(pemEncoded: text)
        } catch {
            // The parser's message is left out: it is not worth the risk of echoing key bytes.
            throw UnusableCredential(reason: "\(url.lastPathComponent) is not a PEM private key")
        }
    }

    private static func readText(_ url: URL) throws(UnusableCredential) -> String {
        let name = url.lastPathComponent
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw UnusableCredential(reason: "\(name) does not exist")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw UnusableCredential(reason: "\(name) cannot be read (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw UnusableCredential(reason: "\(name) is not text")
        }
        return text
    }

    /// Reads one decoded extension, turning a malformed one into a reason naming the file.
    private static func decoded<Value>(of url: URL, _ value: @autoclosure () throws -> Value) throws(UnusableCredential) -> Value {
        do {
            return try value()
        } catch {
            throw UnusableCredential(reason: "\(url.lastPathComponent) has a malformed extension (\(error))")
        }
    }

    private static func checkValidity(
        of certificate: Certificate,
        named name: String,
        now: Date,
        requiredUntil: Date
    ) throws(UnusableCredential) {
        let formatter = ISO8601DateFormatter()
        guard certificate.notValidBefore <= now else {
            throw UnusableCredential(
                reason: "\(name) is not valid until \(formatter.string(from: certificate.notValidBefore))"
            )
        }
        guard certificate.notValidAfter > now else {
            throw UnusableCredential(reason: "\(name) expired on \(formatter.string(from: certificate.notValidAfter))")
        }
        guard certificate.notValidAfter >= requiredUntil else {
            let days = Int((DevCertificateAuthority.minimumRemainingValidity / 86_400).rounded())
            throw UnusableCredential(
                reason: "\(name) expires on \(formatter.string(from: certificate.notValidAfter)), "
                    + "less than \(days) days from now"
            )
        }
    }
}
