/// The row file layouts `predict-client infer --input` reads.
public enum RowFileFormat: Sendable, Hashable {
    /// Numbers separated by commas, one row a line; a first line that is not all numbers is a
    /// header and skipped.
    case csv
    /// One JSON value a line: an array of numbers, or an object with a `features` array.
    case jsonLines

    /// The format a file name's extension names: `.csv`; `.jsonl`, `.ndjson`. Nil otherwise.
    public init?(path: String) {
        let name = path.lowercased()
        if name.hasSuffix(".csv") {
            self = .csv
        } else if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") {
            self = .jsonLines
        } else {
            return nil
        }
    }
}
