import Foundation
import Logging
import PredictServer
import PredictServing
import ServiceLifecycle
import UnixSignals

/// Reloads the TLS certificate and the model repository on SIGHUP, and when the watcher sees
/// one of their files change (every `pollInterval`; zero turns polling off). Reloads never
/// overlap: a signal during one is served by the next.
struct ReloadService: Service {
    struct Watched: Sendable {
        var files: [String]
        var repository: URL

        struct Stamp: Equatable {
            var files: [FileStamp?]
            var repository: RepositoryStamp
        }

        /// A cheap summary of everything watched (no file is read); a difference means "reload".
        func stamp() -> Stamp {
            Stamp(files: files.map { FileStamp(of: URL(fileURLWithPath: $0)) }, repository: RepositoryStamp(of: repository))
        }
    }

    let server: PredictServer
    let watched: Watched
    let pollInterval: Duration
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        // The group traps SIGTERM and SIGINT before it starts its services: from here on every
        // signal is handled, which is what "serving" promises to a supervisor or a test.
        logger.info("serving", metadata: ["signals": "SIGTERM and SIGINT drain, SIGHUP reloads"])
        await withTaskGroup(of: Void.self) { group in
            let triggers = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(1))
            group.addTask {
                for await _ in signals { triggers.continuation.yield("SIGHUP") }
            }
            if pollInterval > .zero {
                group.addTask {
                    var last = watched.stamp()
                    while !Task.isCancelled {
                        try? await Task.sleep(for: pollInterval)
                        let now = watched.stamp()
                        if now != last {
                            last = now
                            triggers.continuation.yield("a watched file changed")
                        }
                    }
                }
            }
            group.addTask {
                for await reason in triggers.stream {
                    logger.info("reloading", metadata: ["trigger": "\(reason)"])
                    _ = await server.reload()
                }
            }
            try? await gracefulShutdown()
            triggers.continuation.finish()
            group.cancelAll()
        }
    }
}
