extension PredictClientError {
    /// The process exit code a command-line tool reports this error with: the status code's
    /// number (NOT_FOUND exits 5, UNAVAILABLE 14), as `grpcurl` and friends do.
    public var exitCode: Int32 {
        Int32(code.rawValue)
    }
}
