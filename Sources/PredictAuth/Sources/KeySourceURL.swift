import Foundation

/// The rule for where keys may be fetched from: HTTPS, or plain HTTP to a loopback host.
///
/// Keys fetched over plain HTTP from anywhere else could be swapped by anyone on the path,
/// and whoever controls the keys can mint any identity. Loopback is allowed for tests and
/// for a sidecar on the same machine.
enum KeySourceURL {
    /// `string` if it is acceptable as a JWKS URL.
    /// - Throws: ``KeySourceError`` `.urlRejected` saying what is wrong with it.
    static func validated(_ string: String) throws(KeySourceError) -> String {
        guard let url = URL(string: string), let scheme = url.scheme?.lowercased() else {
            throw KeySourceError(.urlRejected, "JWKS URL '\(string)' is not a valid URL")
        }
        guard let host = url.host, !host.isEmpty else {
            throw KeySourceError(.urlRejected, "JWKS URL '\(string)' has no host")
        }
        switch scheme {
        case "https":
            return string
        case "http" where isLoopback(host):
            return string
        case "http":
            throw KeySourceError(
                .urlRejected,
                "JWKS URL '\(string)' must use https (plain http is allowed only for loopback hosts)"
            )
        default:
            throw KeySourceError(.urlRejected, "JWKS URL '\(string)' must use https, not '\(scheme)'")
        }
    }

    /// `localhost`, an IPv4 address in 127.0.0.0/8, or the IPv6 loopback address, written as a
    /// URL host (IPv6 possibly in brackets).
    static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name.hasSuffix(".") { name.removeLast() }
        if name == "localhost" || name == "::1" || name == "0:0:0:0:0:0:0:1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        // Digits only, so that "127.0.0.1.example.com" or "127.1" never pass for loopback.
        let values = octets.map { octet -> Int? in
            guard (1...3).contains(octet.count), octet.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(octet).flatMap { $0 <= 255 ? $0 : nil }
        }
        return values.allSatisfy { $0 != nil } && values[0] == 127
    }
}
