/// Durations as configuration writes them: a number and a unit, `500ms`, `10s`, `1.5s`, `5m`,
/// `1h`. A bare number is accepted as seconds only where `bareSeconds` says (flags), never in
/// YAML, where `timeout: 10` is too easy to misread.
public enum DurationText {
    /// The duration `text` names, or nil.
    public static func parse(_ text: String, bareSeconds: Bool = false) -> Duration? {
        let units: [(suffix: String, nanoseconds: Double)] = [
            ("ms", 1e6), ("us", 1e3), ("µs", 1e3), ("ns", 1), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
        ]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for unit in units where trimmed.hasSuffix(unit.suffix) {
            let number = trimmed.dropLast(unit.suffix.count)
            guard let value = decimal(number) else { return nil }
            return .nanoseconds(Int64(value * unit.nanoseconds))
        }
        if bareSeconds, let value = decimal(Substring(trimmed)) { return .nanoseconds(Int64(value * 1e9)) }
        return nil
    }

    /// A non-negative decimal without exponent, sign or spaces, below 10^9.
    private static func decimal(_ text: Substring) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              text.filter({ $0 == "." }).count <= 1, text.first != ".", text.last != "." else { return nil }
        guard let value = Double(text), value < 1e9 else { return nil }
        return value
    }

    /// How a message shows a duration: `10s`, `250ms`.
    public static func format(_ duration: Duration) -> String {
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        if nanoseconds % 1_000_000_000 == 0 { return "\(nanoseconds / 1_000_000_000)s" }
        if nanoseconds % 1_000_000 == 0 { return "\(nanoseconds / 1_000_000)ms" }
        return "\(nanoseconds / 1000)us"
    }
}
