import Foundation

/// NumericDate claims (`exp`, `nbf`, `iat`; RFC 7519 §2): seconds since 1970 as a JSON number,
/// integer or fractional.
enum NumericDate {
    /// The latest accepted NumericDate, 9999-12-31T23:59:59Z: anything later is not a date a
    /// real issuer writes, and keeps the arithmetic with leeway and lifetime far from overflow.
    static let latest: Double = 253_402_300_799

    /// The seconds of claim `name`, nil when absent; throws `.malformed` for a value that is
    /// not a number, is negative, or is past ``latest``.
    static func seconds(_ name: String, in claims: [String: JSONValue]) throws(TokenRejection) -> Double? {
        guard let value = claims[name] else { return nil }
        guard let seconds = value.number, seconds >= 0, seconds <= latest else {
            throw TokenRejection(.malformed, "\(name) is not a NumericDate")
        }
        return seconds
    }
}
