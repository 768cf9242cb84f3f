import Foundation
import PredictClient
import PredictProtocol
import Synchronization

/// Steady load from several clients, each with its own connection, each running `concurrency`
/// calls back to back, keeping every call's one outcome.
final class SteadyLoad: Sendable {
    struct Outcome: Sendable {
        /// The version that answered, or the error.
        var result: Result<String, PredictClientError>
        var startedAt: ContinuousClock.Instant
        var finishedAt: ContinuousClock.Instant
    }

    private let outcomes = Mutex<[Outcome]>([])
    private let stopping = Atomic<Bool>(false)

    var recorded: [Outcome] { outcomes.withLock { $0 } }

    func stop() { stopping.store(true, ordering: .relaxed) }

    /// Runs until `stop()`; a loop also ends at its first UNAVAILABLE when `endOnUnavailable`
    /// (the server is gone: every later call would be refused the same way).
    func run(clients: [PredictClient], concurrency: Int, request: Inference_ModelInferRequest, endOnUnavailable: Bool) async {
        await withTaskGroup(of: Void.self) { group in
            for client in clients {
                for _ in 0..<concurrency {
                    group.addTask { [self] in
                        // A test that fails early cancels the load as it unwinds.
                        while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
                            let result: Result<String, PredictClientError>
                            let started = ContinuousClock.now
                            do throws(PredictClientError) {
                                result = .success(try await client.infer(request, timeout: .seconds(20)).modelVersion)
                            } catch {
                                result = .failure(error)
                            }
                            outcomes.withLock { $0.append(Outcome(result: result, startedAt: started, finishedAt: .now)) }
                            if endOnUnavailable, case .failure(let error) = result, error.code == .unavailable { return }
                        }
                    }
                }
            }
        }
    }
}
