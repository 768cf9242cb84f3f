import Foundation

/// Numbers as the reports and the progress line print them.
enum Format {
    /// `45,230`: whole numbers with thousands separators.
    static func count(_ value: Double) -> String {
        let whole = Int(value.rounded())
        let digits = String(whole.magnitude)
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (whole < 0 ? "-" : "") + grouped
    }

    /// Microseconds as `850 µs`, `1.27 ms` or `2.40 s`.
    static func latency(_ microseconds: Double) -> String {
        if microseconds < 1000 { return String(format: "%.0f µs", microseconds) }
        if microseconds < 1_000_000 { return String(format: "%.2f ms", microseconds / 1000) }
        return String(format: "%.2f s", microseconds / 1_000_000)
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.1f s", value)
    }

    static func percent(_ fraction: Double) -> String {
        String(format: "%.2f%%", fraction * 100)
    }
}
