import ArgumentParser
import Foundation
import PredictBench
import PredictClient
import PredictCommandLine
import PredictProtocol

/// `predict-bench`: load-tests a predict server with one model, closed or open loop, and
/// reports throughput, latency percentiles and statuses.
@main
struct PredictBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict-bench",
        abstract: "Load-test a predict server: throughput, latency percentiles, statuses.",
        discussion: """
            Closed loop (the default): --concurrency calls kept in flight over --connections \
            connections. Open loop: --rate calls/s started on schedule whatever the server \
            does, latency measured from each call's intended start (no coordinated omission).
            Inputs are generated from the model's metadata (seeded, 1,024 distinct requests) \
            or read from --input (CSV or JSON lines of feature rows).
            Exit status: 0; 1 when the error rate passes --max-error-rate; a status code's \
            number when the run cannot start (5 NOT_FOUND, 14 UNAVAILABLE, 16 UNAUTHENTICATED); \
            64 for usage errors.
            """
    )

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The model to call.")
    var model: String

    @Option(help: ArgumentHelp("The model version. Default: the server's choice.", valueName: "version"))
    var version = ""

    @Option(help: "Rows per call.")
    var rows = 1

    @Option(help: ArgumentHelp("Feature rows to send (CSV or JSON lines), for a model with one FP32 input [N, F]. Default: generated from the model's metadata.", valueName: "file"))
    var input: String?

    @Option(help: "Connections to the server.")
    var connections = 2

    @Option(help: "Closed loop: calls kept in flight.")
    var concurrency = 64

    @Option(help: ArgumentHelp("Open loop: calls started per second.", valueName: "calls/s"))
    var rate: Double?

    @Option(help: "Open loop: when calls are due, evenly spaced or as a Poisson process.")
    var arrivals: Arrivals = .uniform

    @Option(name: .customLong("max-in-flight"), help: "Open loop: most calls outstanding; later calls wait (and their wait is counted).")
    var maxInFlight = 10_000

    @Option(help: ArgumentHelp("Seconds measured.", valueName: "seconds"))
    var duration: Double = 10

    @Option(help: ArgumentHelp("Seconds of load before measuring.", valueName: "seconds"))
    var warmup: Double = 2

    @Option(name: .customLong("max-error-rate"), help: ArgumentHelp("Largest fraction of failed calls (0–1) that still exits 0.", valueName: "fraction"))
    var maxErrorRate: Double = 0

    @Option(help: "Seed of the generated inputs and of Poisson arrivals.")
    var seed: UInt64 = 1

    func validate() throws {
        guard rows >= 1 else { throw ValidationError("--rows must be at least 1") }
        guard connections >= 1 else { throw ValidationError("--connections must be at least 1") }
        guard concurrency >= 1 else { throw ValidationError("--concurrency must be at least 1") }
        if let rate { guard rate > 0, rate.isFinite else { throw ValidationError("--rate must be a positive number of calls per second") } }
        guard maxInFlight >= 1 else { throw ValidationError("--max-in-flight must be at least 1") }
        guard duration > 0, duration.isFinite else { throw ValidationError("--duration must be a positive number of seconds") }
        guard warmup >= 0, warmup.isFinite else { throw ValidationError("--warmup must be zero or more seconds") }
        guard (0...1).contains(maxErrorRate) else { throw ValidationError("--max-error-rate must be between 0 and 1") }
    }

    func run() async throws {
        let client = try makeClient(connection, connections: connections)
        let requests: [Inference_ModelInferRequest]
        do {
            requests = try await prepareRequests(client)
        } catch {
            await client.close()
            throw fail(error)
        }
        let plan = LoadPlan(
            shape: rate.map { .openLoop(rate: $0, arrivals: arrivals, maxInFlight: maxInFlight) } ?? .closedLoop(concurrency: concurrency),
            warmup: .milliseconds(Int64((warmup * 1000).rounded())),
            duration: .milliseconds(Int64((duration * 1000).rounded())))
        let token = connection.resolvedToken
        let generator = LoadGenerator(plan: plan, requestCount: requests.count) { index, done in
            client.infer(requests[index], token: token) { result in
                switch result {
                case .success: done(.ok)
                case .failure(let error): done(error.code)
                }
            }
        }
        let progress = isatty(STDERR_FILENO) == 1 ? Task { [warmup, duration] in await Self.showProgress(generator, warmup: warmup, duration: duration) } : nil
        let outcome = await generator.run()
        if let progress {
            progress.cancel()
            await progress.value
        }
        await client.close()

        let report = BenchReport(model: model, version: version, rowsPerCall: rows, connections: connections, plan: plan, outcome: outcome)
        print(connection.json ? report.json() : report.text())
        if report.errorRate > maxErrorRate {
            printError("error: \(report.errors) of \(report.calls) calls failed (\(String(format: "%.2f", report.errorRate * 100))%), more than --max-error-rate \(maxErrorRate)")
            throw ExitCode(1)
        }
    }

    /// The requests the calls cycle through: `rows` rows each, from the file or generated.
    private func prepareRequests(_ client: PredictClient) async throws(PredictClientError) -> [Inference_ModelInferRequest] {
        if let input {
            let fileRows = try RowFileReader.read(path: input)
            guard !fileRows.isEmpty else { throw PredictClientError(.invalidArgument, "\(input) holds no rows") }
            var requests: [Inference_ModelInferRequest] = []
            var start = 0
            // Wraps around the file so every request has `rows` rows; at most 1,024 requests.
            repeat {
                let batch = (0..<rows).map { fileRows[(start + $0) % fileRows.count] }
                requests.append(try await client.featureRowsRequest(model: model, version: version, rows: batch))
                start += rows
            } while start < fileRows.count && requests.count < 1024
            return requests
        }
        let metadata = try await client.metadata(model: model, version: version)
        return try GeneratedRequests.make(metadata: metadata, model: model, version: version, rows: rows, count: 1024, seed: seed)
    }

    /// Rewrites one stderr line each second until cancelled, then ends it.
    private static func showProgress(_ generator: LoadGenerator, warmup: Double, duration: Double) async {
        let started = Date()
        let total = warmup + duration
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            let elapsed = -started.timeIntervalSinceNow
            let (interval, seconds) = generator.takeInterval()
            let line = ProgressLine.text(elapsed: min(elapsed, total), total: total, inWarmup: elapsed < warmup, interval: interval, seconds: seconds)
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

extension Arrivals: ExpressibleByArgument {}
