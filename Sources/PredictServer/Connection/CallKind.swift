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
    /// The traffic administration calls (fields 31-35): admins only.
    case trafficGet, trafficSet, tagSet, trafficRollback, versionLoad, shadowStats
    /// No request, or one this server does not know (a newer client's): answered UNIMPLEMENTED
    /// after the connection's checks, like any other call.
    case unrecognized

    /// Liveness and readiness probes, which configuration may allow without a token (rule 7).
    var isHealthCheck: Bool {
        switch self {
        case .serverLive, .serverReady: true
        case .modelReady, .serverMetadata, .modelMetadata, .modelInfer, .repositoryIndex, .unrecognized,
             .trafficGet, .trafficSet, .tagSet, .trafficRollback, .versionLoad, .shadowStats: false
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
        case .trafficGet: "traffic_get"
        case .trafficSet: "traffic_set"
        case .tagSet: "tag_set"
        case .trafficRollback: "traffic_rollback"
        case .versionLoad: "version_load"
        case .shadowStats: "shadow_stats"
        case .unrecognized: "unrecognized"
        }
    }

    /// The model a request names, if any.
    static func model(of request: Predict_V1_Call.OneOf_Request?) -> String {
        switch request {
        case .modelReady(let r): r.name
        case .modelMetadata(let r): r.name
        case .modelInfer(let r): r.modelName
        case .trafficGet(let r): r.model
        case .trafficSet(let r): r.model
        case .tagSet(let r): r.model
        case .trafficRollback(let r): r.model
        case .versionLoad(let r): r.model
        case .shadowStats(let r): r.model
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
        case .trafficGet: self = .trafficGet
        case .trafficSet: self = .trafficSet
        case .tagSet: self = .tagSet
        case .trafficRollback: self = .trafficRollback
        case .versionLoad: self = .versionLoad
        case .shadowStats: self = .shadowStats
        case nil: self = .unrecognized
        }
    }
}
