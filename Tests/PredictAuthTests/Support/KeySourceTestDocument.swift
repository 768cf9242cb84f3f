import Foundation

/// The stand-in for a parsed JWKS in key source tests: just the key IDs, from
/// `{"keys":[{"kid":"a"},...]}`. Anything else fails to parse, as a real parser would.
struct KeySourceTestDocument: Decodable, Equatable, Sendable {
    struct Key: Decodable, Equatable, Sendable {
        var kid: String
    }

    var keys: [Key]

    var kids: [String] { keys.map(\.kid) }

    @Sendable static func parse(_ data: Data) throws -> KeySourceTestDocument {
        try JSONDecoder().decode(KeySourceTestDocument.self, from: data)
    }

    /// The JSON of a key set with these key IDs.
    static func json(_ kids: String...) -> String {
        json(kids)
    }

    /// The JSON of a key set with these key IDs.
    static func json(_ kids: [String]) -> String {
        #"{"keys":["# + kids.map { #"{"kid":"\#($0)"}"# }.joined(separator: ",") + "]}"
    }
}
