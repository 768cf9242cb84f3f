import Logging
import PredictServing
import Yams

/// One key of the server's configuration file: its name in its section and how its value is
/// read. Adding a key is one line here, a field on `ServerSettings` and a row in
/// docs/CONFIGURATION.md.
struct SettingsKey: Sendable {
    let name: String
    let read: @Sendable (Node, String, inout ServerSettings) throws(ConfigurationProblem) -> Void

    static let sections: [String: [SettingsKey]] = [
        "listen": [
            .string("host", \.host, "an address to bind, e.g. 0.0.0.0 or 127.0.0.1"),
            .integer("port", \.port, 0...65_535, "the port; 0 picks a free one"),
            .bool("insecure", \.insecure),
        ],
        "tls": [
            .string("certificate", \.tlsCertificate, "a PEM file with the certificate chain"),
            .string("key", \.tlsKey, "a PEM file with the private key"),
        ],
        "repository": [
            .string("path", \.models, "the model repository directory"),
            .bool("allow_cpu_sharing", \.allowCPUSharing),
        ],
        "authentication": [
            .string("jwks_file", \.jwksFile, "a JWKS file"),
            .string("jwks_url", \.jwksURL, "an https:// JWKS URL"),
            .bool("google", \.google),
            .strings("issuers", \.issuers, "token issuers"),
            .strings("audiences", \.audiences, "token audiences"),
            .duration("leeway", \.leeway, .zero ... .seconds(3600)),
            .strings("invokers", \.invokers, "principals (emails or token subjects, or \"*\")"),
            .strings("admins", \.admins, "principals (emails or token subjects)"),
            .bool("allow_unauthenticated", \.allowUnauthenticated),
            .bool("allow_unauthenticated_probes", \.allowUnauthenticatedProbes),
        ],
        "limits": [
            .integer("max_frame_bytes", \.maxFrameBytes, 1024...Int(UInt32.max), "bytes in one frame"),
            .integer("max_concurrent_calls", \.maxConcurrentCalls, 1...1_048_576, "calls in flight on one connection"),
            .duration("idle_timeout", \.idleTimeout, .seconds(1) ... .seconds(86_400)),
            .duration("read_timeout", \.readTimeout, .seconds(1) ... .seconds(3600)),
            .duration("default_call_timeout", \.defaultCallTimeout, .milliseconds(1) ... .seconds(3600)),
            .duration("drain_timeout", \.drainTimeout, .zero ... .seconds(3600)),
        ],
        "metrics": [
            .string("host", \.metricsHost, "an address to bind the metrics listener"),
            .integer("port", \.metricsPort, 0...65_535, "the metrics port; 0 picks a free one"),
        ],
        "logging": [
            .choice("level", \.logLevel, Logger.Level.allCases.map { ($0.rawValue, $0) }),
            .choice("format", \.logFormat, LogFormat.allCases.map { ($0.rawValue, $0) }),
        ],
        "reload": [
            .duration("poll_interval", \.reloadPollInterval, .zero ... .seconds(86_400)),
        ],
    ]

    static let sectionNames = ["listen", "tls", "repository", "authentication", "limits", "metrics", "logging", "reload"].joined(separator: ", ")

    static func string(_ name: String, _ field: WritableKeyPath<ServerSettings, String?> & Sendable, _ meaning: String) -> SettingsKey {
        SettingsKey(name: name) { value, key, settings throws(ConfigurationProblem) in
            settings[keyPath: field] = try text(value, key: key, meaning: meaning)
        }
    }

    static func strings(_ name: String, _ field: WritableKeyPath<ServerSettings, [String]?> & Sendable, _ meaning: String) -> SettingsKey {
        SettingsKey(name: name) { value, key, settings throws(ConfigurationProblem) in
            guard case .sequence(let sequence) = value else {
                throw ConfigurationProblem(key: key, message: "must be a list of \(meaning), e.g. [a, b]; got \(value.shown)")
            }
            var items: [String] = []
            for element in sequence {
                let item = try text(element, key: key, meaning: meaning)
                guard !items.contains(item) else { throw ConfigurationProblem(key: key, message: "lists '\(item)' more than once") }
                items.append(item)
            }
            settings[keyPath: field] = items
        }
    }

    static func integer(_ name: String, _ field: WritableKeyPath<ServerSettings, Int?> & Sendable, _ range: ClosedRange<Int>, _ meaning: String) -> SettingsKey {
        SettingsKey(name: name) { value, key, settings throws(ConfigurationProblem) in
            guard let number = value.strictInteger, range.contains(number) else {
                var message = "must be an integer from \(range.lowerBound) to \(range.upperBound) (\(meaning)); got \(value.shown)"
                if case .scalar(let scalar) = value, scalar.style != .plain, Int(scalar.string) != nil {
                    message += " (a string: write numbers without quotes)"
                }
                throw ConfigurationProblem(key: key, message: message)
            }
            settings[keyPath: field] = number
        }
    }

    static func bool(_ name: String, _ field: WritableKeyPath<ServerSettings, Bool?> & Sendable) -> SettingsKey {
        SettingsKey(name: name) { value, key, settings throws(ConfigurationProblem) in
            guard let text = value.plainString, value.tagName == .bool, ["true", "false"].contains(text) else {
                let hint = value.tagName == .bool ? " (write true or false; yes, no, on and off are not accepted)" : ""
                throw ConfigurationProblem(key: key, message: "must be true or false; got \(value.shown)\(hint)")
            }
            settings[keyPath: field] = text == "true"
        }
    }

    static func duration(_ name: String, _ field: WritableKeyPath<ServerSettings, Duration?> & Sendable, _ range: ClosedRange<Duration>) -> SettingsKey {
        SettingsKey(name: name) { value, key, settings throws(ConfigurationProblem) in
            let bounds = "from \(DurationText.format(range.lowerBound)) to \(DurationText.format(range.upperBound))"
            guard case .scalar(let scalar) = value, let duration = DurationText.parse(scalar.string) else {
                var message = "must be a duration \(bounds) with its unit, e.g. 10s, 500ms or 5m; got \(value.shown)"
                if value.strictInteger != nil { message += " (a number without a unit: write \(value.shown)s for seconds)" }
                throw ConfigurationProblem(key: key, message: message)
            }
            guard range.contains(duration) else {
                throw ConfigurationProblem(key: key, message: "must be \(bounds); got \(scalar.string)")
            }
            settings[keyPath: field] = duration
        }
    }

    static func choice<T: Sendable>(_ name: String, _ field: WritableKeyPath<ServerSettings, T?> & Sendable, _ choices: [(String, T)]) -> SettingsKey {
        SettingsKey(name: name) { value, key, settings throws(ConfigurationProblem) in
            guard let text = value.plainString ?? value.string, let match = choices.first(where: { $0.0 == text }) else {
                throw ConfigurationProblem(key: key, message: "must be one of \(choices.map(\.0).joined(separator: ", ")); got \(value.shown)")
            }
            settings[keyPath: field] = match.1
        }
    }

    private static func text(_ value: Node, key: String, meaning: String) throws(ConfigurationProblem) -> String {
        guard let text = value.nonEmptyString else {
            throw ConfigurationProblem(key: key, message: "must be \(meaning) (a non-empty string); got \(value.shown)")
        }
        return text
    }
}
