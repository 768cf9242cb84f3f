/// The parts of a response's `Cache-Control` that decide when a key set is refreshed:
/// `max-age`, `no-store` and `no-cache`. Everything else (`s-maxage`, `Expires`, `private`,
/// extensions) is ignored on purpose: a key source is a private cache of one document.
struct CacheControlDirectives: Equatable, Sendable {
    /// `max-age` in seconds; nil when absent or malformed. Absurdly large values saturate.
    var maxAge: Int?
    /// `no-store` or `no-cache` (with or without a field list) was present.
    var forbidsCaching: Bool

    init(maxAge: Int? = nil, forbidsCaching: Bool = false) {
        self.maxAge = maxAge
        self.forbidsCaching = forbidsCaching
    }

    /// Parses every `Cache-Control` field line of a response, as if joined by commas
    /// (RFC 9110 §5.3). The first well-formed `max-age` wins; directive names are
    /// case-insensitive, and `max-age="60"` is accepted as RFC 9111 asks of recipients.
    init(fieldValues: [String]) {
        self.init()
        for directive in fieldValues.lazy.flatMap({ $0.split(separator: ",") }) {
            let parts = directive.split(separator: "=", maxSplits: 1)
            guard let rawName = parts.first else { continue }
            let name = rawName.trimmingWhitespace().lowercased()
            switch name {
            case "no-store", "no-cache":
                forbidsCaching = true
            case "max-age" where maxAge == nil && parts.count == 2:
                maxAge = Self.deltaSeconds(parts[1])
            default:
                continue
            }
        }
    }

    /// A delta-seconds value: ASCII digits only, optionally quoted; nil otherwise.
    private static func deltaSeconds(_ raw: Substring) -> Int? {
        var value = raw.trimmingWhitespace()
        if value.count >= 2, value.first == "\"", value.last == "\"" {
            value = value.dropFirst().dropLast()
        }
        guard !value.isEmpty, value.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        // RFC 9111 §1.2.2: a delta-seconds too large to represent means "a very long time".
        return Int(value) ?? Int.max
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        let isWhitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isWhitespace($0) }),
              let end = lastIndex(where: { !isWhitespace($0) })
        else { return "" }
        return self[start...end]
    }
}
