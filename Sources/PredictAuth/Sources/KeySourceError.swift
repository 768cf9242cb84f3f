/// Why a key source could not be set up or could not load its first key set.
///
/// Later failures (a refresh that does not parse, a URL that answers 500) never throw: the
/// source keeps its last good key set and logs a warning instead.
public struct KeySourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: Sendable, Hashable {
        /// A JWKS file could not be read (missing, unreadable, not a regular file).
        case fileUnreadable
        /// A JWKS file or response body was read but the parser rejected it.
        case documentInvalid
        /// A JWKS URL is malformed, or is not HTTPS (plain HTTP is allowed only for loopback hosts).
        case urlRejected
        /// Fetching a JWKS URL failed: network error, non-200 status, oversized body.
        case fetchFailed
        /// A ``URLKeySourcePolicy`` with a zero, negative or contradictory setting.
        case policyInvalid
    }

    /// What kind of failure this is.
    public var code: Code
    /// A sentence an operator can act on, naming the file or URL; never contains key material
    /// or response bodies.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
