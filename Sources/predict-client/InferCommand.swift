import ArgumentParser
import Foundation
import PredictClient
import PredictCommandLine

/// `predict-client infer MODEL`: classify one row given on the command line, or every row of
/// a CSV or JSON Lines file.
struct InferCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Classify rows of features.",
        discussion: """
            --features 5.1,3.5,1.4,0.2 classifies one row (repeat it for more) and prints \
            "prediction: 0  confidence: 0.982", or with --json \
            {"prediction":"0","confidence":0.981657,"probabilities":{...}}.
            --input FILE (.csv, .jsonl, .ndjson) sends the file's rows in batches, several at \
            once, and prints one JSON line per row in input order: \
            {"row":N,"prediction":"...","confidence":...}, N counting data rows from 0.
            """)

    @OptionGroup var options: ConnectionOptions

    @Argument(help: "The model's name.")
    var model: String

    @Option(name: .customLong("model-version"), help: "A version; default: the server's choice.")
    var modelVersion: String = ""

    @Option(help: ArgumentHelp("One row's features, comma-separated.", valueName: "x1,x2,..."))
    var features: [String] = []

    @Option(help: ArgumentHelp("A .csv, .jsonl or .ndjson file of rows.", valueName: "file"))
    var input: String?

    @Option(help: "Rows per request with --input.")
    var batchSize = 256

    @Option(help: "Requests in flight at once with --input.")
    var concurrency = 4

    func validate() throws {
        if features.isEmpty == (input == nil) {
            throw ValidationError("give either --features or --input")
        }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        guard concurrency > 0 else { throw ValidationError("--concurrency must be positive") }
    }

    func run() async throws {
        if let input {
            try await runFile(input)
        } else {
            try await runFeatures()
        }
    }

    private func runFeatures() async throws {
        var rows: [[Float]] = []
        for (index, text) in features.enumerated() {
            let row = text.split(separator: ",", omittingEmptySubsequences: false).map {
                Float($0.trimmingCharacters(in: .whitespaces))
            }
            guard !row.isEmpty, row.allSatisfy({ $0 != nil }) else {
                throw fail(PredictClientError(.invalidArgument, "--features #\(index + 1) '\(text)' is not a comma-separated list of numbers"))
            }
            rows.append(row.map { $0! })
        }
        let client = try makeClient(options)
        try await reportingErrors(client) { client throws(PredictClientError) in
            let predictions = try await client.infer(model: model, version: modelVersion, rows: rows)
            for prediction in predictions {
                print(options.json ? PredictionFormatting.json(prediction) : PredictionFormatting.text(prediction))
            }
        }
    }

    private func runFile(_ path: String) async throws {
        let rows: [[Float]]
        do {
            rows = try RowFileReader.read(path: path)
        } catch {
            throw fail(error)
        }
        let client = try makeClient(options, connections: min(concurrency, 2))
        try await reportingErrors(client) { client throws(PredictClientError) in
            let batches = BatchInference(client: client, model: model, version: modelVersion, rows: rows, batchSize: batchSize, concurrency: concurrency)
            let progress = ProgressBar(total: rows.count)
            try await batches.run { firstRow, predictions in
                var lines = ""
                for (offset, prediction) in predictions.enumerated() {
                    lines += PredictionFormatting.jsonLine(row: firstRow + offset, prediction) + "\n"
                }
                FileHandle.standardOutput.write(Data(lines.utf8))
                progress?.advance(by: predictions.count)
            }
            progress?.finish()
        }
    }
}
