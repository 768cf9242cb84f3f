import ArgumentParser
import Foundation
import PredictClient
import PredictCommandLine
import PredictProtocol

/// `predict-client models`: the models the server knows and whether each can answer.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the server's models, one a line, with whether each is ready.")

    @OptionGroup var options: ConnectionOptions

    /// One model: ready when any of its versions is; otherwise the reason, when known.
    struct Listing {
        var name: String
        var ready: Bool
        var reason: String
    }

    func run() async throws {
        let client = try makeClient(options)
        try await reportingErrors(client) { client throws(PredictClientError) in
            let models = try await Self.listing(client)
            if options.json {
                let items = models.map { "{\"name\":\(PredictionFormatting.jsonString($0.name)),\"ready\":\($0.ready)}" }
                print("[" + items.joined(separator: ",") + "]")
            } else {
                let width = models.map(\.name.count).max() ?? 0
                for model in models {
                    let padded = model.name.padding(toLength: width, withPad: " ", startingAt: 0)
                    let status = model.ready ? "ready" : model.reason.isEmpty ? "not ready" : "not ready: \(model.reason)"
                    print("\(padded)  \(status)")
                }
            }
        }
    }

    /// From the repository index; from a server without one, from `server_metadata`
    /// extensions named `model:NAME` and `model_ready`.
    static func listing(_ client: PredictClient) async throws(PredictClientError) -> [Listing] {
        do {
            let index = try await client.repositoryIndex()
            var models: [Listing] = []
            for entry in index.models {
                let ready = entry.state == "READY"
                if let last = models.last, last.name == entry.name {
                    models[models.count - 1].ready = last.ready || ready
                    if last.reason.isEmpty { models[models.count - 1].reason = entry.reason }
                } else {
                    models.append(Listing(name: entry.name, ready: ready, reason: entry.reason))
                }
            }
            return models
        } catch where error.code == .unimplemented {
            let names = try await client.serverMetadata().extensions.compactMap { name in
                name.hasPrefix("model:") ? String(name.dropFirst("model:".count)) : nil
            }
            var models: [Listing] = []
            for name in names {
                models.append(Listing(name: name, ready: try await client.modelReady(model: name), reason: ""))
            }
            return models
        }
    }
}
