import Logging
import PredictAuth

/// What authentication tells the operator: a metric per failure by reason, and one log line per
/// event naming the principal when there is one. Never the token, nor any part of it.
struct AuthenticationEvents {
    let metrics: ServerMetrics
    var logger: Logger

    func authenticated(_ identity: VerifiedIdentity) {
        logger.debug("authenticated", metadata: ["principal": "\(identity.principal)", "issuer": "\(identity.issuer)"])
    }

    func rejected(_ rejection: TokenRejection) {
        metrics.authenticationFailed(reason: rejection.kind.metricReason)
        logger.info("authentication failed", metadata: ["reason": "\(rejection.reason)"])
    }

    func missingToken() {
        metrics.authenticationFailed(reason: "missing_token")
        logger.info("authentication failed", metadata: ["reason": "missing token"])
    }

    func denied(_ principal: String, _ denial: String) {
        metrics.authenticationFailed(reason: "permission_denied")
        logger.info("permission denied", metadata: ["principal": "\(principal)", "reason": "\(denial)"])
    }
}

extension TokenRejection.Kind {
    /// The `reason` label of `predict_authentication_failures_total`.
    var metricReason: String {
        switch self {
        case .malformed: "malformed"
        case .unsupportedAlgorithm: "unsupported_algorithm"
        case .unknownKeyID: "unknown_key_id"
        case .badSignature: "bad_signature"
        case .expired: "expired"
        case .notYetValid: "not_yet_valid"
        case .issuedInFuture: "issued_in_future"
        case .lifetimeTooLong: "lifetime_too_long"
        case .issuerMismatch: "issuer_mismatch"
        case .audienceMismatch: "audience_mismatch"
        case .emailNotVerified: "email_not_verified"
        case .tooLarge: "too_large"
        case .criticalHeader: "critical_header"
        case .missingClaim: "missing_claim"
        }
    }
}
