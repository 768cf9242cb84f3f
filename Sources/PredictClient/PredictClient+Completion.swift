import NIOCore
import PredictProtocol

extension PredictClient {
    /// Runs an inference without a task: `completion` gets its outcome on the event loop of the
    /// connection that carried it, so it must not block. For callers that keep very many calls
    /// in flight at a low cost each (a load generator, a proxy); ``infer(_:timeout:)`` is the
    /// usual form. `completion` is called once, never before this method returns.
    ///
    /// `token` is presented as the call's token (a new one re-Hellos the connection); this form
    /// does not ask the configuration's token provider. Deadlines and the transparent retry of
    /// calls the server never accepted work as in the async form; there is no cancellation.
    public func infer(
        _ request: Inference_ModelInferRequest,
        token: String?,
        timeout: Duration? = nil,
        completion: @escaping @Sendable (Result<Inference_ModelInferResponse, PredictClientError>) -> Void
    ) {
        let timeout = timeout ?? configuration.defaultTimeout
        let deadline = timeout.map { NIODeadline.now() + TimeAmount($0) }
        attempt(.modelInfer(request), token: token, deadline: deadline, timeout: timeout, attempt: 1) { result in
            completion(result.flatMap { response in
                if case .modelInfer(let inference) = response { .success(inference) } else {
                    .failure(PredictClientError(.internalError, "the server answered OK without the expected response"))
                }
            })
        }
    }

    private func attempt(
        _ request: Predict_V1_Call.OneOf_Request, token: String?, deadline: NIODeadline?, timeout: Duration?, attempt: Int,
        completion: @escaping @Sendable (Result<Predict_V1_Result.OneOf_Response, PredictClientError>) -> Void
    ) {
        let started: EventLoopFuture<CallOutcome>
        do throws(PredictClientError) {
            let serialized = try Self.serializedCall(request, deadline: deadline, timeout: timeout)
            started = try pool.connection(token: token).start(serialized, token: token, deadline: deadline, timeout: timeout)
        } catch {
            // Never before `infer` returns: a caller may start its next call from here.
            return pool.anyEventLoop.execute { completion(.failure(error)) }
        }
        started.whenSuccess { outcome in
            switch outcome {
            case .result(let result):
                completion(Result { () throws(PredictClientError) in try Self.response(of: result) { $0 } })
            case .failed(let error):
                completion(.failure(error))
            case .retry where attempt < Self.maxAttempts:
                self.attempt(request, token: token, deadline: deadline, timeout: timeout, attempt: attempt + 1, completion: completion)
            case .retry:
                completion(.failure(self.keptGoingAway))
            }
        }
    }
}
