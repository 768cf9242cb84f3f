/// What a reload of the model repository changed, for the log.
public struct ReloadReport: Sendable, Equatable {
    /// "model/version" of each version loaded anew (added, or its files changed).
    public var loaded: [String] = []
    /// "model/version" of each version no longer served.
    public var unloaded: [String] = []
    /// "model/version: reason" of each version that could not load; what served before goes on.
    public var failed: [String] = []
    /// Warnings of the scan (ignored directories, missing listed versions).
    public var warnings: [String] = []

    public var changedAnything: Bool { !loaded.isEmpty || !unloaded.isEmpty }
}
