import Foundation
import PredictClient
import Testing

/// CSV and JSON Lines rows for `predict-client infer --input`.
@Suite struct RowFileReaderTests {
    @Test func csvWithAHeaderSkipsItAndBlankLines() throws {
        let text = "sepal_length,sepal_width\r\n5.1, 3.5\n\n\"6.7\",3.0\n"
        #expect(try RowFileReader.parse(text, format: .csv, fileName: "iris.csv") == [[5.1, 3.5], [6.7, 3.0]])
    }

    @Test func csvWithoutAHeaderKeepsTheFirstRow() throws {
        #expect(try RowFileReader.parse("1,2\n3,4", format: .csv, fileName: "x.csv") == [[1, 2], [3, 4]])
    }

    @Test func csvBadValueNamesTheFileAndLine() {
        #expect(throws: PredictClientError(.invalidArgument, "x.csv:3: 'n/a' is not a number")) {
            try RowFileReader.parse("a,b\n1,2\n3,n/a\n", format: .csv, fileName: "x.csv")
        }
        #expect(throws: PredictClientError(.invalidArgument, "x.csv:2: an empty value is not a number")) {
            try RowFileReader.parse("1,2\n3,\n", format: .csv, fileName: "x.csv")
        }
    }

    @Test func rowsOfAnotherWidthAreRefusedWithTheirLine() {
        #expect(throws: PredictClientError(.invalidArgument, "x.csv:4: 3 values, but the rows before have 2")) {
            try RowFileReader.parse("1,2\n3,4\n\n5,6,7", format: .csv, fileName: "x.csv")
        }
    }

    @Test func jsonLinesTakesArraysAndObjectsWithFeatures() throws {
        let text = "[5.1, 3.5]\n{\"id\": 7, \"features\": [6, 3]}\n\n"
        #expect(try RowFileReader.parse(text, format: .jsonLines, fileName: "x.jsonl") == [[5.1, 3.5], [6, 3]])
    }

    @Test func jsonLinesBadLineNamesTheFileAndLine() {
        #expect(throws: PredictClientError(.invalidArgument, "x.jsonl:2: expected a JSON array of numbers or an object with a \"features\" array of numbers")) {
            try RowFileReader.parse("[1]\n{\"values\": [1]}", format: .jsonLines, fileName: "x.jsonl")
        }
    }

    @Test func formatComesFromTheExtension() {
        #expect(RowFileFormat(path: "a/B.CSV") == .csv)
        #expect(RowFileFormat(path: "b.jsonl") == .jsonLines)
        #expect(RowFileFormat(path: "b.ndjson") == .jsonLines)
        #expect(RowFileFormat(path: "b.txt") == nil)
    }

    @Test func readsAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rows-\(UInt32.random(in: 0...UInt32.max)).csv").path
        try "x,y\n1,2\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try RowFileReader.read(path: path) == [[1, 2]])
        #expect((try? RowFileReader.read(path: path + ".missing.csv")) == nil)
    }
}
