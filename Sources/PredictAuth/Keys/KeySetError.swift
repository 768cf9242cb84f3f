/// Why a document is not a JWKS at all (not strict JSON, or no `keys` array). Problems with
/// single keys are never errors: they are ``KeySet/warnings``.
public struct KeySetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the document (or the key), without its content.
    public var reason: String

    /// An error saying `reason`.
    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
