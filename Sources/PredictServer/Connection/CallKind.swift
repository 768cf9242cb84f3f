import PredictProtocol

/// Which request a `Call` frame carries (the `Call.request` oneof of PROTOCOL.md).
enum CallKind: Hashable, Sendable, CaseIterable {
    case serverLive
    case serverReady
    case modelReady
    case serverMetadata
    case modelMetadata
    case modelInfer
    /// `repository_index`, the first administration call (field 30).
    case repositoryIndex
    /// No request, or one this server does not know (a newer client's): answered UNIMPLEMENTED
    /// after the connection's checks, like any other call.
    case unrecognized

    /// Liveness and readiness probes, which configuration may allow without a token (rule 7).
    var isHealthCheck: Bool {
        switch self {
        case .serverLive, .serverReady: true
        case .modelReady, .serverMetadata, .modelMetadata, .modelInfer, .repositoryIndex, .unrecognized: false
        }
    }

    /// The request's field name in PROTOCOL.md, for metrics and logs.
    var name: String {
        switch self {
        case .serverLive: "server_live"
        case .serverReady: "server_ready"
        case .modelReady: "model_ready"
        case .serverMetadata: "server_metadata"
        case .modelMetadata: "model_metadata"
        case .modelInfer: "model_infer"
        case .repositoryIndex: "repository_index"
        case .unrecognized: "unrecognized"
        }
    }

    /// The model a request names, if any.
    static func model(of request: Predict_V1_Call.OneOf_Request?) -> String {
        switch request {
        case .modelReady(let r): r.name
        case .modelMetadata(let r): r.name
        case .modelInfer(let r): r.modelName
        case .serverLive, .serverReady, .serverMetadata, .repositoryIndex, nil: ""
        }
    }

    init(_ request: Predict_V1_Call.OneOf_Request?) {
        switch request {
        case .serverLive: self = .serverLive
        case .serverReady: self = .serverReady
        case .modelReady: self = .modelReady
        case .serverMetadata: self = .serverMetadata
        case .modelMetadata: self = .modelMetadata
        case .modelInfer: self = .modelInfer
        case .repositoryIndex: self = .repositoryIndex
        case nil: self = .unrecognized
        }
    }
}
