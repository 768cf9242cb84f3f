import Foundation
import Logging
import PredictServing
import Testing
@testable import PredictServer

/// `--config FILE`: every key read, every bad file refused with the file, key and reason.
struct ServerSettingsFileTests {
    static let file = "predict.yaml"

    static func parse(_ yaml: String) throws(ConfigurationError) -> ServerSettings {
        try ServerSettingsFile.parse(yaml, file: file)
    }

    /// The error's text for `yaml`, or a note that it parsed.
    static func failure(_ yaml: String) -> String {
        do {
            _ = try parse(yaml)
            return "parsed without an error"
        } catch {
            return error.description
        }
    }

    @Test func everyKeyIsRead() throws {
        let settings = try Self.parse("""
            listen: {host: 127.0.0.1, port: 9443, insecure: false}
            tls: {certificate: /tls/cert.pem, key: /tls/key.pem}
            repository: {path: /models, allow_cpu_sharing: true}
            authentication:
              jwks_file: /jwks/jwks.json
              jwks_url: https://example.com/jwks
              google: false
              issuers: [https://accounts.google.com]
              audiences: [https://predict.example.com, other]
              leeway: 30s
              invokers: ["*"]
              admins: [ops@example.com]
              allow_unauthenticated: false
              allow_unauthenticated_probes: true
            limits:
              max_frame_bytes: 1048576
              max_concurrent_calls: 256
              idle_timeout: 5m
              read_timeout: 15s
              default_call_timeout: 1500ms
              drain_timeout: 20s
            metrics: {host: 0.0.0.0, port: 9090}
            logging: {level: debug, format: json}
            reload: {poll_interval: 0s}
            """)
        var expected = ServerSettings()
        expected.host = "127.0.0.1"
        expected.port = 9443
        expected.insecure = false
        expected.tlsCertificate = "/tls/cert.pem"
        expected.tlsKey = "/tls/key.pem"
        expected.models = "/models"
        expected.allowCPUSharing = true
        expected.jwksFile = "/jwks/jwks.json"
        expected.jwksURL = "https://example.com/jwks"
        expected.google = false
        expected.issuers = ["https://accounts.google.com"]
        expected.audiences = ["https://predict.example.com", "other"]
        expected.leeway = .seconds(30)
        expected.invokers = ["*"]
        expected.admins = ["ops@example.com"]
        expected.allowUnauthenticated = false
        expected.allowUnauthenticatedProbes = true
        expected.maxFrameBytes = 1_048_576
        expected.maxConcurrentCalls = 256
        expected.idleTimeout = .seconds(300)
        expected.readTimeout = .seconds(15)
        expected.defaultCallTimeout = .milliseconds(1500)
        expected.drainTimeout = .seconds(20)
        expected.metricsHost = "0.0.0.0"
        expected.metricsPort = 9090
        expected.logLevel = .debug
        expected.logFormat = .json
        expected.reloadPollInterval = .zero
        #expect(settings == expected)
    }

    @Test func anEmptyFileSaysNothing() throws {
        #expect(try Self.parse("") == ServerSettings())
        #expect(try Self.parse("# only a comment\n") == ServerSettings())
    }

    @Test(arguments: [
        ("listen: {prot: 8443}", "predict.yaml: 'listen.prot' is not a key of 'listen'; its keys are host, port, insecure"),
        ("lisen: {port: 8443}", "predict.yaml: 'lisen' is not a section of this file; the sections are listen, tls, repository, authentication, limits, metrics, logging, reload"),
        ("listen: 8443", "predict.yaml: 'listen' must be a mapping of keys (host, port, insecure); got 8443"),
        ("- listen", "predict.yaml: must be a mapping of sections (listen, tls, repository, authentication, limits, metrics, logging, reload); got a list"),
        ("listen: {port: 70000}", "predict.yaml: 'listen.port' must be an integer from 0 to 65535 (the port; 0 picks a free one); got 70000"),
        ("listen: {port: \"8443\"}", "predict.yaml: 'listen.port' must be an integer from 0 to 65535 (the port; 0 picks a free one); got \"8443\" (a string: write numbers without quotes)"),
        ("listen: {port: 84.5}", "predict.yaml: 'listen.port' must be an integer from 0 to 65535 (the port; 0 picks a free one); got 84.5"),
        ("listen: {insecure: yes}", "predict.yaml: 'listen.insecure' must be true or false; got yes (write true or false; yes, no, on and off are not accepted)"),
        ("listen: {insecure: 1}", "predict.yaml: 'listen.insecure' must be true or false; got 1"),
        ("listen: {host: 8}", "predict.yaml: 'listen.host' must be an address to bind, e.g. 0.0.0.0 or 127.0.0.1 (a non-empty string); got 8"),
        ("limits: {drain_timeout: 10}", "predict.yaml: 'limits.drain_timeout' must be a duration from 0s to 3600s with its unit, e.g. 10s, 500ms or 5m; got 10 (a number without a unit: write 10s for seconds)"),
        ("limits: {drain_timeout: 2h}", "predict.yaml: 'limits.drain_timeout' must be from 0s to 3600s; got 2h"),
        ("limits: {drain_timeout: ten seconds}", "predict.yaml: 'limits.drain_timeout' must be a duration from 0s to 3600s with its unit, e.g. 10s, 500ms or 5m; got \"ten seconds\""),
        ("limits: {idle_timeout: 0s}", "predict.yaml: 'limits.idle_timeout' must be from 1s to 86400s; got 0s"),
        ("limits: {max_concurrent_calls: 0}", "predict.yaml: 'limits.max_concurrent_calls' must be an integer from 1 to 1048576 (calls in flight on one connection); got 0"),
        ("authentication: {issuers: https://x}", "predict.yaml: 'authentication.issuers' must be a list of token issuers, e.g. [a, b]; got \"https://x\""),
        ("authentication: {invokers: [a@x.com, a@x.com]}", "predict.yaml: 'authentication.invokers' lists 'a@x.com' more than once"),
        ("authentication: {admins: [\"\"]}", "predict.yaml: 'authentication.admins' must be principals (emails or token subjects) (a non-empty string); got \"\""),
        ("logging: {level: verbose}", "predict.yaml: 'logging.level' must be one of trace, debug, info, notice, warning, error, critical; got \"verbose\""),
        ("logging: {format: xml}", "predict.yaml: 'logging.format' must be one of text, json; got \"xml\""),
        ("metrics: {port: -1}", "predict.yaml: 'metrics.port' must be an integer from 0 to 65535 (the metrics port; 0 picks a free one); got -1"),
        ("listen: {port: 1}\nlisten: {port: 2}", "predict.yaml: 'listen' is given more than once; give each key once"),
    ])
    func badFilesNameTheKeyAndTheReason(yaml: String, message: String) {
        #expect(Self.failure(yaml) == message)
    }

    @Test func syntaxErrorsNameTheLine() {
        let message = Self.failure("listen:\n  port: [8443\n")
        #expect(message.hasPrefix("predict.yaml: line "), "\(message)")
        #expect(message.contains("invalid YAML"))
    }

    @Test func aMissingFileIsNamed() {
        do {
            _ = try ServerSettingsFile.load("/nonexistent/predict.yaml")
            Issue.record("loaded a file that does not exist")
        } catch {
            #expect(error.file == "/nonexistent/predict.yaml")
            #expect(error.description.contains("cannot be read"))
        }
    }

    @Test func flagsOverrideTheFileKeyByKey() throws {
        let file = try Self.parse("listen: {host: 0.0.0.0, port: 8443}\nlimits: {drain_timeout: 20s}")
        var flags = ServerSettings()
        flags.port = 9000
        let merged = file.overriding(with: flags)
        #expect(merged.port == 9000)
        #expect(merged.host == "0.0.0.0")
        #expect(merged.drainTimeout == .seconds(20))
    }

    @Test func durationsParseWithUnitsAndFlagsTakeBareSeconds() {
        #expect(DurationText.parse("500ms") == .milliseconds(500))
        #expect(DurationText.parse("1.5s") == .milliseconds(1500))
        #expect(DurationText.parse("2m") == .seconds(120))
        #expect(DurationText.parse("1h") == .seconds(3600))
        #expect(DurationText.parse("10") == nil)
        #expect(DurationText.parse("10", bareSeconds: true) == .seconds(10))
        #expect(DurationText.parse("-1s") == nil)
        #expect(DurationText.parse("s") == nil)
        #expect(DurationText.parse("1e3s") == nil)
        #expect(DurationText.format(.milliseconds(250)) == "250ms")
        #expect(DurationText.format(.seconds(10)) == "10s")
    }
}

/// The rules between keys, checked after every source is merged.
struct ServerSettingsValidationTests {
    static func production() -> ServerSettings {
        var settings = ServerSettings()
        settings.tlsCertificate = "/tls/cert.pem"
        settings.tlsKey = "/tls/key.pem"
        settings.models = "/models"
        settings.jwksFile = "/jwks.json"
        settings.issuers = ["iss"]
        settings.audiences = ["aud"]
        settings.invokers = ["*"]
        return settings
    }

    static func failure(_ change: (inout ServerSettings) -> Void, dev: Bool = false) -> String {
        var settings = production()
        change(&settings)
        do {
            try settings.validate(dev: dev)
            return "valid"
        } catch {
            return error.message
        }
    }

    @Test func aCompleteProductionConfigurationIsValid() {
        #expect(Self.failure { _ in } == "valid")
    }

    @Test func eachRuleNamesTheKeysAndFlags() {
        #expect(Self.failure { $0.tlsKey = nil } == "tls.certificate (--tls-cert) and tls.key (--tls-key) go together")
        #expect(Self.failure { $0.insecure = true }.hasPrefix("listen.insecure (--insecure) serves plaintext; drop tls.certificate and tls.key"))
        #expect(Self.failure { $0.tlsKey = nil; $0.tlsCertificate = nil }.hasPrefix("TLS needs tls.certificate and tls.key (--tls-cert, --tls-key)"))
        #expect(Self.failure { $0.models = nil }.hasPrefix("repository.path (--models DIR) is required"))
        #expect(Self.failure { $0.metricsPort = 8443 } == "metrics.port (--metrics-port) 8443 is the serving port; give metrics a port of its own")
        #expect(Self.failure { $0.jwksFile = nil }.hasPrefix("authentication needs keys: authentication.jwks_file, jwks_url or google"))
        #expect(Self.failure { $0.issuers = nil }.hasPrefix("authentication needs at least one issuer"))
        #expect(Self.failure { $0.audiences = [] }.hasPrefix("authentication needs at least one audience"))
        #expect(Self.failure { $0.jwksURL = "http://keys.example.com" } == "authentication.jwks_url (--jwks-url) must be an https:// URL; got 'http://keys.example.com'")
        #expect(Self.failure { $0.allowUnauthenticated = true }.hasPrefix("authentication.allow_unauthenticated (--allow-unauthenticated) turns token checks off"))
    }

    @Test func devModeSuppliesCertificateModelsAndKeys() {
        let message = Self.failure({ settings in settings = ServerSettings() }, dev: true)
        #expect(message == "valid")
    }
}
