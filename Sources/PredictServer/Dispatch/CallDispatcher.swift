import Logging
import PredictProtocol
import PredictRuntime
import PredictServing
import Synchronization

/// Answers the calls a connection accepted, shared by every connection of a server: health,
/// metadata and repository calls at once on the event loop, inference through the serving core,
/// whose outcome comes back to the connection's `OutcomeSink`.
final class CallDispatcher: Sendable {
    /// How a call started.
    enum Started {
        /// Answered already.
        case answered(Predict_V1_Result)
        /// Queued in the serving core; its outcome reaches the sink with the call's tag.
        case submitted(Submission, PendingInference)
        /// Running elsewhere (an administration call reloading the repository): `start` runs it
        /// and hands its Result to the closure, once, on another thread.
        case deferred(start: @Sendable (@escaping @Sendable (Predict_V1_Result) -> Void) -> Void)
    }

    /// What turning an inference outcome into a Result needs.
    struct PendingInference {
        var reply: InferReplyForm
        var encoder: InferResponseEncoder
        /// The copy of this call on the model's shadow version, waiting for the caller's outcome.
        var shadow: ShadowTicket? = nil
    }

    let service: InferenceService
    private let encoders: ResponseEncoderCache
    private let decoder: InferRequestDecoder
    private let draining = Atomic<Bool>(false)

    private let administration: TrafficAdministration

    init(service: InferenceService, decoder: InferRequestDecoder = InferRequestDecoder(), logger: Logger = Logger(label: "predict.server")) {
        self.service = service
        self.administration = TrafficAdministration(service: service, logger: logger)
        self.encoders = ResponseEncoderCache()
        self.decoder = decoder
    }

    /// The request parameter that keeps a caller on one version (issue 9's sticky routing).
    static let routingKeyParameter = "routing_key"

    /// From now on `server_ready` answers false: load balancers stop sending new connections.
    func beginDrain() { draining.store(true, ordering: .relaxed) }

    /// Ready when not draining and every model in the repository has a version serving, as
    /// Triton's strict readiness: a half-loaded repository is not ready.
    var isServerReady: Bool {
        !draining.load(ordering: .relaxed)
            && service.models.allSatisfy { $0.problem == nil && $0.versions.contains(where: \.isReady) }
    }

    /// Starts `call`. `serviceDeadline` is passed to the serving core (nil lets the model's
    /// configured timeout apply); `tag` identifies the outcome at `sink`.
    func start(_ call: Predict_V1_Call, tag: UInt64, serviceDeadline: Deadline?, principal: String? = nil, sink: any OutcomeSink) -> Started {
        var result = Predict_V1_Result()
        result.status = .ok
        switch call.request {
        case .serverLive:
            var live = Inference_ServerLiveResponse()
            live.live = true
            result.serverLive = live
        case .serverReady:
            var ready = Inference_ServerReadyResponse()
            ready.ready = isServerReady
            result.serverReady = ready
        case .modelReady(let request):
            var ready = Inference_ModelReadyResponse()
            ready.ready = service.isReady(model: request.name, version: request.version)
            result.modelReady = ready
        case .serverMetadata:
            var metadata = Inference_ServerMetadataResponse()
            metadata.name = ProductVersion.name
            metadata.version = ProductVersion.version
            result.serverMetadata = metadata
        case .modelMetadata(let request):
            do {
                result.modelMetadata = ModelMetadataEncoder.encode(try service.metadata(model: request.name, version: request.version))
            } catch {
                return .answered(Predict_V1_Result(error))
            }
        case .repositoryIndex(let request):
            result.repositoryIndex = RepositoryIndexEncoder.encode(service.models, readyOnly: request.ready)
        case .modelInfer(let request):
            return startInference(request, tag: tag, serviceDeadline: serviceDeadline, principal: principal, sink: sink)
        case .trafficGet(let request):
            return administer(.get, model: request.model)
        case .trafficSet(let request):
            return administer(.set(request.policy), model: request.model)
        case .tagSet(let request):
            return administer(.tag(request.tag, version: request.version), model: request.model)
        case .trafficRollback(let request):
            return administer(.rollback, model: request.model)
        case .versionLoad(let request):
            return administer(.load(version: request.version, unload: request.unload), model: request.model)
        case .shadowStats(let request):
            guard service.isKnown(model: request.model) else {
                return .answered(Predict_V1_Result(ServingError(.notFound, "unknown model '\(request.model)'")))
            }
            result.shadowStats = ShadowStatisticsEncoder.encode(model: request.model, service.shadows.statistics(model: request.model))
        case nil:
            return .answered(Predict_V1_Result(ConnectionStatus(
                .unimplemented, "this server does not serve the call's request kind (none, or one newer than protocol version \(WireProtocol.version))")))
        }
        return .answered(result)
    }

    private func startInference(
        _ request: Inference_ModelInferRequest, tag: UInt64, serviceDeadline: Deadline?, principal: String?, sink: any OutcomeSink
    ) -> Started {
        let generation = service.generation
        // A caller's `routing_key` keeps it on one version while a model's weights stand.
        var routingKey: String?
        if case .stringParam(let key)? = request.parameters[Self.routingKeyParameter]?.parameterChoice, !key.isEmpty { routingKey = key }
        // Resolved, decoded and queued against one version: a reload swapping versions
        // meanwhile cannot leave the call with one version's encoder and another's outputs.
        return service.withVersion(
            model: request.modelName, version: request.modelVersion, routingKey: routingKey, principal: principal
        ) { resolved in
            let version: ServingVersion
            switch resolved {
            case .success(let found): version = found
            case .failure(let error): return .answered(Predict_V1_Result(error))
            }
            let decoded: DecodedInferRequest
            do throws(ServingError) {
                decoded = try decoder.decode(request, modelOutputs: version.outputs)
            } catch {
                return .answered(Predict_V1_Result(error))
            }
            let submission = version.submit(inputs: decoded.inputs, deadline: serviceDeadline, sink: sink, tag: tag)
            let shadow = version.startShadow(inputs: decoded.inputs, deadline: serviceDeadline)
            let encoder = encoders.encoder(for: version, generation: generation)
            return .submitted(submission, PendingInference(reply: decoded.reply, encoder: encoder, shadow: shadow))
        }
    }

    private func administer(_ operation: TrafficAdministration.Operation, model: String) -> Started {
        let administration = self.administration
        return .deferred { completion in administration.perform(operation, model: model, completion: completion) }
    }

    /// The Result of a finished inference.
    static func result(_ outcome: InferenceOutcome, for pending: PendingInference) -> Predict_V1_Result {
        pending.shadow?.primaryFinished(outcome)
        do {
            let response = try outcome.get()
            var result = Predict_V1_Result()
            result.status = .ok
            result.modelInfer = try pending.encoder.encode(response, reply: pending.reply)
            return result
        } catch {
            return Predict_V1_Result(error)
        }
    }
}
