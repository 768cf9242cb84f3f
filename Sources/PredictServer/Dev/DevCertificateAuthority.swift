import Foundation
import SwiftASN1
import X509

/// Dev mode's local certificate authority: makes sure a state folder holds a CA and a TLS server
/// certificate for localhost, 127.0.0.1 and ::1 that it signed, reusing what is there when it can.
///
/// The folder holds `ca.pem`, `ca-key.pem`, `server.pem` and `server-key.pem` (keys mode 0600,
/// every file replaced atomically). Dev state is disposable: a file that is missing, unreadable,
/// malformed, mismatched or about to expire is regenerated rather than reported as an error, and
/// the returned ``DevCredentials`` says what was made and why. A new CA always comes with a new
/// server certificate; a server certificate is reissued alone while the CA is still good, so
/// clients that trust `ca.pem` keep working. For development only: nothing here is fit to serve
/// real users.
public enum DevCertificateAuthority {
    /// How long both certificates must still be valid to be reused: a dev server started now
    /// should not see its certificate expire within a working week.
    public static let minimumRemainingValidity: TimeInterval = 7 * 86_400

    /// The state folder's file names.
    static let caCertificateName = "ca.pem"
    static let caKeyName = "ca-key.pem"
    static let serverCertificateName = "server.pem"
    static let serverKeyName = "server-key.pem"

    /// Creates or reuses the CA and server certificate in `stateDirectory`, creating the folder
    /// (mode 0700) if needed. Serialised with other processes preparing the same folder.
    ///
    /// - Parameter now: The time validity is judged at and new certificates start from.
    /// - Throws: ``DevCertificateError`` naming the file or folder when the folder cannot be
    ///   created or locked or a file cannot be written.
    public static func prepare(stateDirectory: URL, now: Date = Date()) throws -> DevCredentials {
        try DevStateDirectory.create(stateDirectory)
        return try DevStateLock.withExclusiveAccess(to: stateDirectory) {
            try prepareLocked(stateDirectory: stateDirectory, now: now)
        }
    }

    private static func prepareLocked(stateDirectory: URL, now: Date) throws -> DevCredentials {
        let caCertificate = stateDirectory.appendingPathComponent(caCertificateName)
        let caKey = stateDirectory.appendingPathComponent(caKeyName)
        let serverCertificate = stateDirectory.appendingPathComponent(serverCertificateName)
        let serverKey = stateDirectory.appendingPathComponent(serverKeyName)
        let requiredUntil = now + minimumRemainingValidity

        let authority: IssuedCredential
        let authorityOrigin: DevCredentials.Origin
        do throws(UnusableCredential) {
            authority = try DevCredentialInspector.loadCertificateAuthority(
                certificate: caCertificate,
                key: caKey,
                now: now,
                requiredUntil: requiredUntil
            )
            authorityOrigin = .reused
        } catch {
            authority = try DevCertificateIssuer.issueCertificateAuthority(
                now: now,
                hostname: DevCertificateIssuer.localHostname()
            )
            // Key first: a crash before the certificate is written leaves a pair that does not
            // match, which the next run replaces, never a certificate whose key is lost.
            try store(authority, certificate: caCertificate, key: caKey)
            authorityOrigin = .created(reason: error.reason)
        }

        let serverOrigin: DevCredentials.Origin
        let serverNotValidAfter: Date
        do throws(UnusableCredential) {
            guard authorityOrigin == .reused else {
                throw UnusableCredential(reason: "the CA is new")
            }
            serverNotValidAfter = try DevCredentialInspector.checkServerCertificate(
                certificate: serverCertificate,
                key: serverKey,
                authority: authority.certificate,
                now: now,
                requiredUntil: requiredUntil
            ).notValidAfter
            serverOrigin = .reused
        } catch {
            let server = try DevCertificateIssuer.issueServerCertificate(now: now, authority: authority)
            try store(server, certificate: serverCertificate, key: serverKey)
            serverOrigin = .created(reason: error.reason)
            serverNotValidAfter = server.certificate.notValidAfter
        }

        return DevCredentials(
            stateDirectory: stateDirectory,
            caCertificate: caCertificate,
            caKey: caKey,
            serverCertificate: serverCertificate,
            serverKey: serverKey,
            certificateAuthorityOrigin: authorityOrigin,
            serverCertificateOrigin: serverOrigin,
            serverCertificateNotValidAfter: serverNotValidAfter
        )
    }

    /// Writes the key (0600), then the certificate (0644).
    private static func store(_ credential: IssuedCredential, certificate: URL, key: URL) throws {
        let keyPEM: String
        let certificatePEM: String
        do {
            keyPEM = try credential.privateKey.serializeAsPEM().pemString
            certificatePEM = try credential.certificate.serializeAsPEM().pemString
        } catch {
            throw DevCertificateError(path: certificate.path, problem: "cannot encode as PEM (\(error))")
        }
        try AtomicFileWriter.store(keyPEM + "\n", at: key, mode: 0o600)
        try AtomicFileWriter.store(certificatePEM + "\n", at: certificate, mode: 0o644)
    }
}
