import ArgumentParser
import PredictClient
import PredictCommandLine
import PredictProtocol

/// `predict-client live`: exits 0 when the server process is up, else 14.
struct LiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "live", abstract: "Is the server up? Exit 0 if live, else 14.")

    @OptionGroup var options: ConnectionOptions

    func run() async throws {
        let client = try makeClient(options)
        var live = false
        try await reportingErrors(client) { client throws(PredictClientError) in
            live = try await client.live()
            print(options.json ? "{\"live\":\(live)}" : live ? "live" : "not live")
        }
        if !live { throw ExitCode(Int32(StatusCode.unavailable.rawValue)) }
    }
}

/// `predict-client ready`: exits 0 when the server serves all its models, else 14.
struct ReadyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ready", abstract: "Is the server ready to serve? Exit 0 if ready, else 14.")

    @OptionGroup var options: ConnectionOptions

    func run() async throws {
        let client = try makeClient(options)
        var ready = false
        try await reportingErrors(client) { client throws(PredictClientError) in
            ready = try await client.ready()
            print(options.json ? "{\"ready\":\(ready)}" : ready ? "ready" : "not ready")
        }
        if !ready { throw ExitCode(Int32(StatusCode.unavailable.rawValue)) }
    }
}
