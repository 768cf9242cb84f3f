import ArgumentParser
import PredictClient
import PredictCommandLine
import PredictProtocol

/// `predict-client traffic MODEL`: shows a model's routing, or changes it (administrators).
struct TrafficCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traffic",
        abstract: "Show or change a model's traffic split, tags and loaded versions (admins only).",
        discussion: """
            predict-client traffic iris                       show
            predict-client traffic iris --to 2=90,3=10        split calls that name no version
            predict-client traffic iris --tag challenger=3    a tag (challenger=0 removes it)
            predict-client traffic iris --shadow 3:100        copy routed calls to 3 and compare (off stops)
            predict-client traffic iris --load 3              load a version (--unload 1)
            predict-client traffic iris --rollback            back to the policy before the last change
            """)

    @OptionGroup var options: ConnectionOptions

    @Argument(help: "The model.")
    var model: String

    @Option(help: ArgumentHelp("New weights as VERSION=PERCENT,… summing to 100.", valueName: "weights"))
    var to: String?

    @Option(help: ArgumentHelp("Set a tag: NAME=VERSION (VERSION 0 removes it).", valueName: "name=version"))
    var tag: String?

    @Option(help: ArgumentHelp("Stickiness of calls without a routing_key: principal or none.", valueName: "mode"))
    var sticky: String?

    @Option(help: ArgumentHelp("Copy routed calls to VERSION:PERCENT and compare (predict-client compare); off stops.", valueName: "version:percent"))
    var shadow: String?

    @Option(help: "Load this version.")
    var load: Int64?

    @Option(help: "Unload this version.")
    var unload: Int64?

    @Flag(help: "Restore the policy in force before the last change.")
    var rollback = false

    func validate() throws {
        let changes = [to != nil || sticky != nil || shadow != nil, tag != nil, load != nil, unload != nil, rollback].filter { $0 }.count
        if changes > 1 { throw ValidationError("give one change at a time: --to/--sticky, --tag, --load, --unload or --rollback") }
        if let to { _ = try Self.weights(to) }
        if let tag { _ = try Self.tag(tag) }
        if let sticky, !["principal", "none"].contains(sticky) { throw ValidationError("--sticky is principal or none") }
        if let shadow { _ = try Self.shadow(shadow) }
    }

    func run() async throws {
        let client = try makeClient(options)
        try await reportingErrors(client) { client throws(PredictClientError) in
            let response: Predict_V1_TrafficResponse
            if to != nil || sticky != nil || shadow != nil {
                var policy = try await client.traffic(model: model).policy
                if let to { policy.traffic = (try? Self.weights(to)) ?? [] }
                if let sticky { policy.sticky = sticky }
                if let shadow {
                    if let copy = try? Self.shadow(shadow) { policy.shadow = copy } else { policy.clearShadow() }
                }
                response = try await client.setTraffic(model: model, policy: policy)
            } else if let tag, let (name, version) = try? Self.tag(tag) {
                response = try await client.setTag(model: model, tag: name, version: version)
            } else if let load {
                response = try await client.loadVersion(model: model, version: load)
            } else if let unload {
                response = try await client.loadVersion(model: model, version: unload, unload: true)
            } else if rollback {
                response = try await client.rollbackTraffic(model: model)
            } else {
                response = try await client.traffic(model: model)
            }
            print(options.json ? Self.json(response) : Self.text(response))
        }
    }

    static func weights(_ text: String) throws -> [Predict_V1_TrafficPolicy.Share] {
        try text.split(separator: ",").map { item in
            let parts = item.split(separator: "=")
            guard parts.count == 2, let version = Int64(parts[0]), let percent = UInt32(parts[1]) else {
                throw ValidationError("--to takes VERSION=PERCENT,…, e.g. 2=90,3=10; got '\(item)'")
            }
            var share = Predict_V1_TrafficPolicy.Share()
            share.version = version
            share.percent = percent
            return share
        }
    }

    /// `VERSION:PERCENT` (percent defaulting to 100), or nil for `off`.
    static func shadow(_ text: String) throws -> Predict_V1_TrafficPolicy.Shadow? {
        if text == "off" { return nil }
        let parts = text.split(separator: ":")
        guard (1...2).contains(parts.count), let version = Int64(parts[0]), let percent = parts.count == 2 ? UInt32(parts[1]) : 100 else {
            throw ValidationError("--shadow takes VERSION:PERCENT, e.g. 3:100, or off; got '\(text)'")
        }
        var shadow = Predict_V1_TrafficPolicy.Shadow()
        shadow.version = version
        shadow.percent = percent
        return shadow
    }

    static func tag(_ text: String) throws -> (String, Int64) {
        let parts = text.split(separator: "=")
        guard parts.count == 2, let version = Int64(parts[1]) else {
            throw ValidationError("--tag takes NAME=VERSION, e.g. challenger=3; got '\(text)'")
        }
        return (String(parts[0]), version)
    }

    static func text(_ response: Predict_V1_TrafficResponse) -> String {
        let policy = response.policy
        let traffic = policy.traffic.isEmpty
            ? "newest loaded version takes every call"
            : policy.traffic.map { "\($0.version)=\($0.percent)%" }.joined(separator: ", ")
        let tags = policy.tags.isEmpty ? "none" : policy.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return """
            model    \(response.model)
            traffic  \(traffic)
            tags     \(tags)
            sticky   \(policy.sticky.isEmpty ? "none" : policy.sticky)
            shadow   \(policy.hasShadow ? "version \(policy.shadow.version), \(policy.shadow.percent)% of routed calls" : "none")
            loaded   \(response.loadedVersions.map(String.init).joined(separator: ", "))
            history  \(response.history) earlier \(response.history == 1 ? "policy" : "policies") to roll back to
            """
    }

    static func json(_ response: Predict_V1_TrafficResponse) -> String {
        let traffic = response.policy.traffic.map { "{\"version\":\($0.version),\"percent\":\($0.percent)}" }.joined(separator: ",")
        let tags = response.policy.tags.sorted { $0.key < $1.key }.map { "\(PredictionFormatting.jsonString($0.key)):\($0.value)" }.joined(separator: ",")
        return "{\"model\":\(PredictionFormatting.jsonString(response.model)),\"traffic\":[\(traffic)],\"tags\":{\(tags)},"
            + "\"sticky\":\(PredictionFormatting.jsonString(response.policy.sticky.isEmpty ? "none" : response.policy.sticky)),"
            + "\"loaded\":[\(response.loadedVersions.map(String.init).joined(separator: ","))],\"history\":\(response.history)}"
    }
}
