/// A token's JOSE header, checked: the algorithm is one this verifier allows, nothing asks it
/// to understand extensions (`crit`) or to take a key from the token itself, and `kid` is a
/// non-empty string.
struct ProtectedHeader {
    let algorithm: SignatureAlgorithm
    let keyID: String

    /// Header parameters that carry a key or say where to fetch one. Keys come only from the
    /// configured key set: a token naming its own key is the classic way to sign with an
    /// attacker's key, so such tokens are refused rather than having the parameter ignored.
    static let embeddedKeyParameters = ["jwk", "jku", "x5u", "x5c"]

    /// Checks the header in the verifier's order: `alg`, `crit`, embedded keys, `typ`, `cty`,
    /// then `kid`.
    init(_ members: [String: JSONValue]) throws(TokenRejection) {
        guard let algorithmValue = members["alg"] else {
            throw TokenRejection(.unsupportedAlgorithm, "missing algorithm")
        }
        // Exact, case-sensitive match: "none", "None", "HS256" and the like are all refused here.
        guard let name = algorithmValue.string, let algorithm = SignatureAlgorithm(rawValue: name) else {
            throw TokenRejection(.unsupportedAlgorithm, "algorithm not allowed")
        }
        guard members["crit"] == nil else {
            throw TokenRejection(.criticalHeader, "critical header parameters are not supported")
        }
        for parameter in Self.embeddedKeyParameters where members[parameter] != nil {
            throw TokenRejection(.malformed, "header carries a key or a key URL, which is never used")
        }
        if let type = members["typ"] {
            guard let type = type.string, Self.isJWTType(type) else {
                throw TokenRejection(.malformed, "token type is not JWT")
            }
        }
        // `cty` announces a nested token or non-JSON content, neither of which is an ID token.
        guard members["cty"] == nil else {
            throw TokenRejection(.malformed, "content type header is not supported")
        }
        guard let keyIDValue = members["kid"] else {
            throw TokenRejection(.unknownKeyID, "missing key id")
        }
        guard let keyID = keyIDValue.string else {
            throw TokenRejection(.unknownKeyID, "key id is not a string")
        }
        guard !keyID.isEmpty else {
            throw TokenRejection(.unknownKeyID, "empty key id")
        }
        self.algorithm = algorithm
        self.keyID = keyID
    }

    /// "JWT" in any ASCII case. Unicode case folding is not used: it maps other characters onto
    /// ASCII letters.
    private static func isJWTType(_ type: String) -> Bool {
        let lowered = type.utf8.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 + 32 : $0 }
        return lowered.elementsEqual("jwt".utf8)
    }
}
