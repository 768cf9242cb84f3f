import ArgumentParser
import Foundation
import PredictClient
import PredictCommandLine
import PredictProtocol
import SwiftProtobuf

/// `predict-client metadata MODEL`: versions, inputs and outputs.
struct MetadataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metadata",
        abstract: "Show a model's versions, inputs and outputs (datatype and shape; -1 is any size).")

    @OptionGroup var options: ConnectionOptions

    @Argument(help: "The model's name.")
    var model: String

    @Option(name: .customLong("model-version"), help: "A version; default: the server's choice.")
    var modelVersion: String = ""

    func run() async throws {
        let client = try makeClient(options)
        try await reportingErrors(client) { client throws(PredictClientError) in
            let metadata = try await client.metadata(model: model, version: modelVersion)
            if options.json {
                print((try? metadata.jsonString()) ?? "{}")
                return
            }
            print("model: \(metadata.name)")
            print("versions: \(metadata.versions.joined(separator: ", "))")
            if !metadata.platform.isEmpty { print("platform: \(metadata.platform)") }
            for (title, tensors) in [("inputs", metadata.inputs), ("outputs", metadata.outputs)] {
                print("\(title):")
                let width = tensors.map(\.name.count).max() ?? 0
                for tensor in tensors {
                    let shape = "[" + tensor.shape.map(String.init).joined(separator: ", ") + "]"
                    print("  \(tensor.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(tensor.datatype)  \(shape)")
                }
            }
        }
    }
}
