/// One accepted call's work, as the state machine hands it to the server and gets it back.
///
/// Clients may reuse a `call_id` as soon as its Result is sent, for example right after a Cancel,
/// while the cancelled work is still running. The sequence number tells the old work's late
/// completion apart from the new call that reuses the id, so a stale result is never sent for it.
struct CallHandle: Hashable, Sendable, CustomStringConvertible {
    /// The client's `call_id`.
    var callID: UInt64
    /// Unique per connection: the order in which the machine accepted the call.
    var sequence: UInt64

    var description: String { "call \(callID)#\(sequence)" }
}
