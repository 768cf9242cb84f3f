import Logging

/// Everything `predict-server` can be told, from flags, `$PORT` or a YAML file (`--config`):
/// each field nil when that source says nothing, so sources layer with `overriding(with:)`.
/// docs/CONFIGURATION.md lists every key with its default.
public struct ServerSettings: Sendable, Equatable {
    // listen
    public var host: String?
    public var port: Int?
    public var insecure: Bool?
    // tls
    public var tlsCertificate: String?
    public var tlsKey: String?
    // repository
    public var models: String?
    public var allowCPUSharing: Bool?
    // authentication
    public var jwksFile: String?
    public var jwksURL: String?
    public var google: Bool?
    public var issuers: [String]?
    public var audiences: [String]?
    public var leeway: Duration?
    public var invokers: [String]?
    public var admins: [String]?
    public var allowUnauthenticated: Bool?
    public var allowUnauthenticatedProbes: Bool?
    // limits
    public var maxFrameBytes: Int?
    public var maxConcurrentCalls: Int?
    public var idleTimeout: Duration?
    public var readTimeout: Duration?
    public var defaultCallTimeout: Duration?
    public var drainTimeout: Duration?
    // metrics
    public var metricsHost: String?
    public var metricsPort: Int?
    // logging
    public var logLevel: Logger.Level?
    public var logFormat: LogFormat?
    // reload
    public var reloadPollInterval: Duration?

    public init() {}

    /// These settings with every value `other` gives replacing this one's.
    public func overriding(with other: ServerSettings) -> ServerSettings {
        var merged = self
        func take<T>(_ field: WritableKeyPath<ServerSettings, T?>) {
            if let value = other[keyPath: field] { merged[keyPath: field] = value }
        }
        take(\.host); take(\.port); take(\.insecure)
        take(\.tlsCertificate); take(\.tlsKey)
        take(\.models); take(\.allowCPUSharing)
        take(\.jwksFile); take(\.jwksURL); take(\.google); take(\.issuers); take(\.audiences); take(\.leeway)
        take(\.invokers); take(\.admins); take(\.allowUnauthenticated); take(\.allowUnauthenticatedProbes)
        take(\.maxFrameBytes); take(\.maxConcurrentCalls); take(\.idleTimeout); take(\.readTimeout)
        take(\.defaultCallTimeout); take(\.drainTimeout)
        take(\.metricsHost); take(\.metricsPort)
        take(\.logLevel); take(\.logFormat)
        take(\.reloadPollInterval)
        return merged
    }

    // The defaults, applied where no source says anything.
    public static let defaultPort = 8443
    public static let defaultDrainTimeout: Duration = .seconds(10)
    public static let defaultLeeway: Duration = .seconds(60)
    public static let defaultMetricsHost = "0.0.0.0"
    public static let defaultReloadPollInterval: Duration = .seconds(10)
}

/// How log lines are written: `text` for people, `json` (one object per line) for collectors.
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json
}
