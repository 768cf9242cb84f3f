import ArgumentParser
import Foundation
import PredictClient

/// Runs a command's work with the project's error convention: a ``PredictClientError`` prints
/// one line, `error: NOT_FOUND: unknown model 'x'`, on stderr and exits with the status code's
/// number; the client is closed either way.
public func reportingErrors(_ client: PredictClient, _ work: (PredictClient) async throws(PredictClientError) -> Void) async throws {
    do {
        try await work(client)
        await client.close()
    } catch {
        await client.close()
        throw fail(error)
    }
}

/// Prints `error` and returns the exit to throw.
public func fail(_ error: PredictClientError) -> ExitCode {
    printError("error: \(error)")
    return ExitCode(error.exitCode)
}

public func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Makes the client or exits the way ``reportingErrors(_:_:)`` does.
public func makeClient(_ options: ConnectionOptions, connections: Int = 1) throws -> PredictClient {
    do {
        return try options.makeClient(connections: connections)
    } catch {
        throw fail(error)
    }
}
