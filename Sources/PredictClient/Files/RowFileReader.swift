import Foundation

/// Reads rows of FP32 features from a CSV or JSON Lines file, for batch inference.
///
/// Blank lines are skipped. Every row must have the width of the first; any line that is not
/// a row is INVALID_ARGUMENT naming the file and the line (`data.csv:7: 'n/a' is not a
/// number`).
public enum RowFileReader {
    /// The rows of the file at `path`, in its format (by extension unless given).
    public static func read(path: String, format: RowFileFormat? = nil) throws(PredictClientError) -> [[Float]] {
        guard let format = format ?? RowFileFormat(path: path) else {
            throw PredictClientError(.invalidArgument, "\(path): unknown file type; use a .csv, .jsonl or .ndjson file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PredictClientError(.invalidArgument, "\(path): cannot read the file (\(error.localizedDescription))")
        }
        return try parse(String(decoding: data, as: UTF8.self), format: format, fileName: path)
    }

    /// The rows in `text`; `fileName` names the source in errors.
    public static func parse(_ text: String, format: RowFileFormat, fileName: String) throws(PredictClientError) -> [[Float]] {
        var rows: [[Float]] = []
        var seenLine = false
        // "\r\n" is one Character in Swift, and a newline like "\n".
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let number = index + 1
            let isFirstLine = !seenLine
            seenLine = true
            let row: [Float]?
            switch format {
            case .csv:
                row = try csvRow(line, isFirstLine: isFirstLine, at: number, in: fileName)
            case .jsonLines:
                row = try jsonRow(line, at: number, in: fileName)
            }
            guard let row else { continue }
            guard !row.isEmpty else {
                throw PredictClientError(.invalidArgument, "\(fileName):\(number): the row has no values")
            }
            if let width = rows.first?.count, row.count != width {
                throw PredictClientError(.invalidArgument, "\(fileName):\(number): \(row.count) values, but the rows before have \(width)")
            }
            rows.append(row)
        }
        return rows
    }

    /// Nil for a header line.
    private static func csvRow(_ line: String, isFirstLine: Bool, at number: Int, in fileName: String) throws(PredictClientError) -> [Float]? {
        var values: [Float] = []
        for field in line.split(separator: ",", omittingEmptySubsequences: false) {
            var text = field.trimmingCharacters(in: .whitespaces)
            if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
                text = String(text.dropFirst().dropLast())
            }
            guard let value = Float(text) else {
                if isFirstLine { return nil }
                let shown = text.isEmpty ? "an empty value" : "'\(text)'"
                throw PredictClientError(.invalidArgument, "\(fileName):\(number): \(shown) is not a number")
            }
            values.append(value)
        }
        return values
    }

    private static func jsonRow(_ line: String, at number: Int, in fileName: String) throws(PredictClientError) -> [Float] {
        do {
            return try JSONDecoder().decode(JSONLinesRow.self, from: Data(line.utf8)).features
        } catch {
            throw PredictClientError(.invalidArgument, "\(fileName):\(number): expected a JSON array of numbers or an object with a \"features\" array of numbers")
        }
    }

    /// `[5.1, 3.5]` or `{"features": [5.1, 3.5], …}`.
    private struct JSONLinesRow: Decodable {
        var features: [Float]

        private enum Keys: String, CodingKey { case features }

        init(from decoder: any Decoder) throws {
            if let array = try? decoder.singleValueContainer().decode([Float].self) {
                features = array
            } else {
                features = try decoder.container(keyedBy: Keys.self).decode([Float].self, forKey: .features)
            }
        }
    }
}
