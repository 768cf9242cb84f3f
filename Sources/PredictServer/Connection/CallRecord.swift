/// What the server remembers of a call for its metrics and log line: which request, which
/// model it named, and when it was accepted (monotonic nanoseconds).
struct CallRecord {
    var kind: CallKind
    var model: String
    var started: UInt64
}
