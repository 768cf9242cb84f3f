import NIOCore
import PredictProtocol

/// A client of the predict server (PROTOCOL.md): a small pool of TLS connections over which
/// calls from any number of tasks are multiplexed.
///
/// Connects lazily, on the first call. Every method throws ``PredictClientError`` only, with the
/// server's status code or the one the failure stands for. A call the server provably never
/// accepted (GoAway with a lower `last_call_id`) is sent again on a new connection, invisibly;
/// a call the server may have run is never repeated. Call ``close()`` when done.
///
/// ```swift
/// let client = PredictClient(configuration: .init(
///     host: "localhost", port: 8443,
///     security: .tls(trust: .certificateAuthority(pemFile: caPath))))
/// let predictions = try await client.infer(model: "iris", rows: [[5.1, 3.5, 1.4, 0.2]])
/// await client.close()
/// ```
public final class PredictClient: Sendable {
    /// What the client was made with.
    public let configuration: Configuration
    let pool: ConnectionPool
    let metadataCache = ModelMetadataCache()

    /// How many connections one call may be offered to before giving up; only reached when
    /// servers keep going away before accepting it.
    static let maxAttempts = 5

    /// Makes a client; nothing is connected until the first call.
    public init(configuration: Configuration) {
        self.configuration = configuration
        self.pool = ConnectionPool(configuration: configuration)
    }

    deinit {
        pool.closeInBackground()
    }

    // MARK: - Health and metadata

    /// Whether the server process is up (`server_live`).
    public func live(timeout: Duration? = nil) async throws(PredictClientError) -> Bool {
        try await perform(.serverLive(Inference_ServerLiveRequest()), timeout: timeout) {
            if case .serverLive(let response) = $0 { response.live } else { nil }
        }
    }

    /// Whether the server serves every model it was configured with (`server_ready`).
    public func ready(timeout: Duration? = nil) async throws(PredictClientError) -> Bool {
        try await perform(.serverReady(Inference_ServerReadyRequest()), timeout: timeout) {
            if case .serverReady(let response) = $0 { response.ready } else { nil }
        }
    }

    /// Whether `model` (at `version`, or the server's choice when empty) can answer inferences.
    public func modelReady(model: String, version: String = "", timeout: Duration? = nil) async throws(PredictClientError) -> Bool {
        var request = Inference_ModelReadyRequest()
        request.name = model
        request.version = version
        return try await perform(.modelReady(request), timeout: timeout) {
            if case .modelReady(let response) = $0 { response.ready } else { nil }
        }
    }

    /// The server's name, version and protocol extensions.
    public func serverMetadata(timeout: Duration? = nil) async throws(PredictClientError) -> Inference_ServerMetadataResponse {
        try await perform(.serverMetadata(Inference_ServerMetadataRequest()), timeout: timeout) {
            if case .serverMetadata(let response) = $0 { response } else { nil }
        }
    }

    /// A model's versions, inputs and outputs (datatype and shape, -1 for a variable dimension).
    public func metadata(model: String, version: String = "", timeout: Duration? = nil) async throws(PredictClientError) -> Inference_ModelMetadataResponse {
        var request = Inference_ModelMetadataRequest()
        request.name = model
        request.version = version
        return try await perform(.modelMetadata(request), timeout: timeout) {
            if case .modelMetadata(let response) = $0 { response } else { nil }
        }
    }

    /// The models the server knows, one entry per version with its state; `readyOnly` keeps
    /// only models with a version ready to serve.
    public func repositoryIndex(readyOnly: Bool = false, timeout: Duration? = nil) async throws(PredictClientError) -> Predict_V1_RepositoryIndexResponse {
        var request = Predict_V1_RepositoryIndexRequest()
        request.ready = readyOnly
        return try await perform(.repositoryIndex(request), timeout: timeout) {
            if case .repositoryIndex(let response) = $0 { response } else { nil }
        }
    }

    // MARK: - Inference

    /// Runs any Open Inference Protocol request as it is. The response is in raw form
    /// (`raw_output_contents`) when the request was.
    public func infer(_ request: Inference_ModelInferRequest, timeout: Duration? = nil) async throws(PredictClientError) -> Inference_ModelInferResponse {
        try await perform(.modelInfer(request), timeout: timeout) {
            if case .modelInfer(let response) = $0 { response } else { nil }
        }
    }

    // MARK: - Lifecycle

    /// Takes no new calls (they fail with UNAVAILABLE), waits for the calls in flight, and
    /// closes the connections.
    public func close() async {
        await pool.close()
    }

    // MARK: - Calls

    /// Runs one call to its Result: token, connection, deadline, transparent retry of calls the
    /// server never accepted. `extract` picks the expected response out of a successful Result.
    func perform<Response>(
        _ request: Predict_V1_Call.OneOf_Request,
        timeout: Duration?,
        extract: (Predict_V1_Result.OneOf_Response) -> Response?
    ) async throws(PredictClientError) -> Response {
        let timeout = timeout ?? configuration.defaultTimeout
        let deadline = timeout.map { NIODeadline.now() + TimeAmount($0) }
        for _ in 1...Self.maxAttempts {
            if Task.isCancelled { throw .cancelled() }
            let token = try await currentToken()
            let serialized = try Self.serializedCall(request, deadline: deadline, timeout: timeout)
            let connection = try pool.connection(token: token)
            switch await connection.call(serialized, token: token, deadline: deadline, timeout: timeout) {
            case .result(let result):
                return try Self.response(of: result, extract: extract)
            case .failed(let error):
                throw error
            case .retry:
                continue
            }
        }
        throw keptGoingAway
    }

    /// The failure of a call that every connection it was offered to closed before accepting it.
    var keptGoingAway: PredictClientError {
        PredictClientError(
            .unavailable,
            "the server at \(configuration.address) closed \(Self.maxAttempts) connections in a row before accepting the call")
    }

    /// The Call for `request`, its `timeout_ms` what is left until `deadline`.
    static func serializedCall(_ request: Predict_V1_Call.OneOf_Request, deadline: NIODeadline?, timeout: Duration?) throws(PredictClientError) -> SerializedCall {
        var call = Predict_V1_Call()
        call.request = request
        if let deadline {
            let remaining = deadline - .now()
            guard remaining > .zero else { throw .deadlineExceeded(timeout) }
            // Rounded up: 0 would mean "the server's default".
            call.timeoutMs = UInt32(clamping: max(1, (remaining.nanoseconds + 999_999) / 1_000_000))
        }
        return try SerializedCall(call)
    }

    private func currentToken() async throws(PredictClientError) -> String? {
        guard let provider = configuration.tokenProvider else { return nil }
        do {
            return try await provider()
        } catch let error as PredictClientError {
            throw error
        } catch is CancellationError {
            throw .cancelled()
        } catch {
            throw PredictClientError(.unauthenticated, "the token provider failed: \(error)")
        }
    }

    static func response<Response>(
        of result: Predict_V1_Result,
        extract: (Predict_V1_Result.OneOf_Response) -> Response?
    ) throws(PredictClientError) -> Response {
        guard result.status.code == StatusCode.ok.rawValue else {
            throw PredictClientError(status: result.status)
        }
        guard let response = result.response, let extracted = extract(response) else {
            throw PredictClientError(.internalError, "the server answered OK without the expected response")
        }
        return extracted
    }
}
