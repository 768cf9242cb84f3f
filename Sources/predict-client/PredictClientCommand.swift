import ArgumentParser
import PredictCommandLine

/// `predict-client`: health checks, model listing and metadata, and inference against a
/// predict server, from a shell or a script.
@main
struct PredictClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict-client",
        abstract: "Talk to a predict server: health, models, metadata, inference.",
        discussion: """
            Errors print one line on stderr (error: CODE: message) and exit with the status \
            code's number: 3 INVALID_ARGUMENT, 4 DEADLINE_EXCEEDED, 5 NOT_FOUND, \
            7 PERMISSION_DENIED, 8 RESOURCE_EXHAUSTED, 13 INTERNAL, 14 UNAVAILABLE, \
            16 UNAUTHENTICATED. Usage errors exit 64.
            """,
        subcommands: [
            LiveCommand.self,
            ReadyCommand.self,
            ModelsCommand.self,
            MetadataCommand.self,
            InferCommand.self,
            TokenCommand.self,
            TrafficCommand.self,
            CompareCommand.self,
        ]
    )

    /// Declared here too so the options may come before the subcommand
    /// (`predict-client --server host:port live`) as well as after it; ArgumentParser gives the
    /// subcommand's group the same values either way.
    @OptionGroup var options: ConnectionOptions
}
