import PredictAuth
import PredictProtocol

/// Rules 1, 2 and 6 of PROTOCOL.md for one connection: verifies a Hello's token, remembers the
/// identity it verified to, and checks each call's token and principal before it runs.
///
/// A call that uses the connection's token costs an expiry check, not a verification: the
/// identity is kept with the token, and the connection's calls fail "token expired" once it
/// lapses, until a Hello brings a fresh one.
struct ConnectionCredentials {
    let authentication: ServerAuthentication
    /// The policy in force now (a reload may change per-model invokers); nil = the one in
    /// `authentication`.
    let accessPolicy: AccessPolicyBox?
    let events: AuthenticationEvents
    /// The Hello token that verified, and what it verified to.
    private(set) var authorization: String?
    private(set) var identity: VerifiedIdentity?
    /// The last per-call token that verified, so a repeat costs a comparison.
    private var recentCallToken = RecentToken()
    /// The principal of the call `refusal(of:token:)` last let through (nil without
    /// authentication, or for a probe without a token), for sticky routing.
    private(set) var allowedPrincipal: String?

    init(_ authentication: ServerAuthentication, accessPolicy: AccessPolicyBox?, events: AuthenticationEvents) {
        self.authentication = authentication
        self.accessPolicy = accessPolicy
        self.events = events
    }

    /// The machine's view of a Hello's `authorization`.
    mutating func hello(_ authorization: String) -> HelloCredential {
        guard case .required(let authenticator, _) = authentication else { return .none }
        guard !authorization.isEmpty else {
            self.authorization = nil
            identity = nil
            return .none
        }
        switch authenticator.authenticate(authorization: authorization) {
        case .success(let verified):
            self.authorization = authorization
            identity = verified
            events.authenticated(verified)
            return .verified(token: authorization)
        case .failure(let rejection):
            events.rejected(rejection)
            return .rejected(reason: Self.unauthenticated(rejection))
        }
    }

    /// Nil when the call may run; else the Result refusing it. `token` is the credential the
    /// machine dispatched it with (its own, else the connection's, else none).
    mutating func refusal(of call: Predict_V1_Call, token: String?) -> Predict_V1_Result? {
        allowedPrincipal = nil
        guard case .required(let authenticator, let policy) = authentication else { return nil }
        // No token at all reaches here only for probes that may run without one (rule 7).
        guard let token else { return nil }
        let verified: VerifiedIdentity
        if token == authorization, let identity {
            guard authenticator.isStillValid(identity) else {
                events.rejected(TokenRejection(.expired, "token expired"))
                return Predict_V1_Result(ConnectionStatus(.unauthenticated, "token expired: send a Hello with a fresh token"))
            }
            verified = identity
        } else if let recent = recentCallToken.identity(for: token, authenticator: authenticator) {
            verified = recent
        } else {
            switch authenticator.authenticate(authorization: token) {
            case .success(let identity):
                verified = identity
                recentCallToken.remember(token, as: identity)
            case .failure(let rejection):
                events.rejected(rejection)
                return Predict_V1_Result(ConnectionStatus(.unauthenticated, Self.unauthenticated(rejection)))
            }
        }
        let access = Self.access(call)
        if let denial = accessPolicy?.denial(of: verified.principal, for: access) ?? policy.denial(of: verified.principal, for: access) {
            events.denied(verified.principal, denial)
            return Predict_V1_Result(ConnectionStatus(.permissionDenied, denial))
        }
        allowedPrincipal = verified.principal
        return nil
    }

    static func unauthenticated(_ rejection: TokenRejection) -> String {
        "token rejected: \(rejection.reason)"
    }

    /// What the call touches, for authorization.
    static func access(_ call: Predict_V1_Call) -> AccessPolicy.Access {
        switch call.request {
        case .modelReady(let request): .model(request.name)
        case .modelMetadata(let request): .model(request.name)
        case .modelInfer(let request): .model(request.modelName)
        case .repositoryIndex, .trafficGet, .trafficSet, .tagSet, .trafficRollback, .versionLoad, .shadowStats: .administration
        case .serverLive, .serverReady, .serverMetadata, nil: .server
        }
    }
}
