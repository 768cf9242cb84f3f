import Foundation

/// The four PEM files dev mode serves TLS with, in the state folder, and whether this run made them.
///
/// Holds paths only: key material stays on disk, so this value is safe to log or print.
public struct DevCredentials: Hashable, Sendable {
    /// Where a credential came from on this run.
    public enum Origin: Hashable, Sendable {
        /// The file on disk was checked and kept.
        case reused
        /// A new one was written; `reason` says why the old one, if any, could not be kept
        /// (for example "ca.pem does not exist" or "server.pem expires on …").
        case created(reason: String)
    }

    /// The folder holding the files (mode 0700).
    public var stateDirectory: URL
    /// `ca.pem`: the local CA's certificate, the file clients trust (`predict-client --ca`).
    public var caCertificate: URL
    /// `ca-key.pem`: the CA's private key (mode 0600). Only dev mode itself reads it.
    public var caKey: URL
    /// `server.pem`: the server certificate for localhost, 127.0.0.1 and ::1, signed by the CA.
    public var serverCertificate: URL
    /// `server-key.pem`: the server certificate's private key (mode 0600).
    public var serverKey: URL

    /// Whether the CA was kept or made anew.
    public var certificateAuthorityOrigin: Origin
    /// Whether the server certificate was kept or issued anew. It is always issued anew with a new CA.
    public var serverCertificateOrigin: Origin
    /// When the server certificate stops being valid.
    public var serverCertificateNotValidAfter: Date

    /// True when this run wrote any file; false when all four were reused as they were.
    public var created: Bool {
        certificateAuthorityOrigin != .reused || serverCertificateOrigin != .reused
    }
}
