/// Who may call what, as Cloud Run's `roles/run.invoker` decides it for a service: a verified
/// principal (the token's verified email, else its subject) is matched exactly against lists
/// of principals, where `*` stands for any valid token.
public struct AccessPolicy: Sendable {
    /// What a call needs.
    public enum Access: Sendable, Hashable {
        /// `server_live`, `server_ready`, `server_metadata`: any invoker of the server or of a model.
        case server
        /// Readiness, metadata and inference of one model.
        case model(String)
        /// Administrative calls (the repository index).
        case administration
    }

    /// Server-wide invokers (`--invoker`): may call every model.
    public var invokers: Set<String>
    /// Per-model invokers (config.yaml `invokers`), in addition to the server-wide ones.
    public var modelInvokers: [String: Set<String>]
    /// Administrators (`--admin`): administrative calls, and every model.
    public var admins: Set<String>

    public init(invokers: Set<String> = [], modelInvokers: [String: Set<String>] = [:], admins: Set<String> = []) {
        self.invokers = invokers
        self.modelInvokers = modelInvokers
        self.admins = admins
    }

    /// Nil when `principal` may make a call needing `access`; else the reason for
    /// PERMISSION_DENIED, naming the principal and what it lacks (no token material).
    public func denial(of principal: String, for access: Access) -> String? {
        if Self.matches(admins, principal) { return nil }
        switch access {
        case .administration:
            return "'\(principal)' is not an administrator of this server"
        case .server:
            if Self.matches(invokers, principal) { return nil }
            if modelInvokers.values.contains(where: { Self.matches($0, principal) }) { return nil }
            return "'\(principal)' may not call this server"
        case .model(let name):
            if Self.matches(invokers, principal) { return nil }
            if let listed = modelInvokers[name], Self.matches(listed, principal) { return nil }
            return "'\(principal)' may not call model '\(name)'"
        }
    }

    private static func matches(_ principals: Set<String>, _ principal: String) -> Bool {
        principals.contains(principal) || principals.contains("*")
    }
}
