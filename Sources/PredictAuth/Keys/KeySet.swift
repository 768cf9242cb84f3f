import Foundation

/// The keys tokens may be signed with, by key id: usually an issuer's JWKS (RFC 7517 §5).
///
/// A JWKS is read key by key: an entry that cannot be used safely is skipped with a warning and
/// never makes the rest unusable, so one odd key an issuer publishes does not lock everyone out.
/// Skipped are entries that are not objects, lack a `kid`, have a `kty`, `crv` or `alg` this
/// verifier does not support, a `use` other than "sig", `key_ops` without "verify", an RSA
/// modulus under 2048 bits, private key material, or numbers that are not minimal strict
/// base64url; and all entries sharing a `kid`, since which one a token means would be a guess.
///
/// An entry without `alg` is taken as RS256 for `kty` "RSA" and ES256 for `kty` "EC" with
/// `crv` "P-256": what issuers that omit `alg` sign with. A PS256 key must say `"alg":"PS256"`.
public struct KeySet: Sendable {
    /// The usable keys by key id.
    public private(set) var keys: [String: VerificationKey]
    /// One line per skipped entry: its position, its `kid` when it has one, and why.
    public private(set) var warnings: [String]

    /// Reads a JWKS document (`{"keys":[...]}`). Throws only when the document itself is not
    /// one: not a strict JSON object, or without a `keys` array.
    public init(jwks: Data) throws(KeySetError) {
        let members: [String: JSONValue]
        do {
            members = try StrictJSONParser.parseObject(Array(jwks))
        } catch {
            throw KeySetError("JWKS is not a strict JSON object: \(error.reason)")
        }
        guard let entries = members["keys"]?.array else {
            throw KeySetError("JWKS has no \"keys\" array")
        }
        var candidates: [VerificationKey] = []
        var warnings: [String] = []
        for (index, entry) in entries.enumerated() {
            do {
                candidates.append(try JSONWebKey.verificationKey(from: entry))
            } catch {
                warnings.append("\(Self.label(index: index, keyID: entry.object?["kid"]?.string)) skipped: \(error.reason)")
            }
        }
        self.init(candidates, warnings: warnings)
    }

    /// A key set of `keys`; keys with an empty or shared key id are skipped with a warning.
    public init(keys: [VerificationKey]) {
        self.init(keys, warnings: [])
    }

    private init(_ candidates: [VerificationKey], warnings: [String]) {
        var warnings = warnings
        var byID: [String: [VerificationKey]] = [:]
        for (index, key) in candidates.enumerated() {
            guard !key.keyID.isEmpty else {
                warnings.append("\(Self.label(index: index, keyID: nil)) skipped: empty kid")
                continue
            }
            byID[key.keyID, default: []].append(key)
        }
        var keys: [String: VerificationKey] = [:]
        for (keyID, sharing) in byID.sorted(by: { $0.key < $1.key }) {
            guard sharing.count == 1 else {
                warnings.append("kid \(Self.printable(keyID)) skipped: \(sharing.count) keys share it")
                continue
            }
            keys[keyID] = sharing[0]
        }
        self.keys = keys
        self.warnings = warnings
    }

    /// The key whose id is `keyID` byte for byte (dictionary lookup alone would also match a
    /// canonically equivalent spelling).
    func key(withID keyID: String) -> VerificationKey? {
        guard let key = keys[keyID], key.keyID.utf8.elementsEqual(keyID.utf8) else { return nil }
        return key
    }

    private static func label(index: Int, keyID: String?) -> String {
        if let keyID { "key \(index) (kid \(printable(keyID)))" } else { "key \(index)" }
    }

    /// `text` quoted, shortened, with anything but printable ASCII escaped: JWKS documents come
    /// from outside, and warnings go to logs.
    static func printable(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars.prefix(64) {
            if scalar.isASCII, scalar.value >= 0x20, scalar.value < 0x7F, scalar != "\"", scalar != "\\" {
                result.unicodeScalars.append(scalar)
            } else {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
        return result + (text.unicodeScalars.count > 64 ? "\"..." : "\"")
    }
}
