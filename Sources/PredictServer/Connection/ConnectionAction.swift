/// Something the channel handler must do in answer to an event, in the order given.
///
/// The machine returns the actions for one event as an array; `.close` is always the last one.
/// Closing implies cancelling both timers and dropping any unread input.
enum ConnectionAction: Hashable, Sendable {
    /// Write `Welcome` (call_id 0) for the connection's current credential.
    case sendWelcome
    /// Start the call's work with the credential it runs with: its own token, else the
    /// connection's, else none. Rule 6's per-call verification happens in that work.
    case dispatch(CallHandle, CallKind, token: String?)
    /// Stop the call's work; its eventual `workFinished` is dropped, not sent.
    case cancelWork(CallHandle)
    /// Write the Result the call's work produced (the handler holds its payload).
    case deliverResult(CallHandle)
    /// Write a Result with this error status and no response.
    case sendResult(callID: UInt64, ConnectionStatus)
    /// Write `Pong` with the Ping's opaque value.
    case sendPong(opaque: UInt64)
    /// Write `GoAway` (call_id 0).
    case sendGoAway(lastCallID: UInt64, ConnectionStatus)
    /// (Re)arm the idle timer; it replaces any pending one. Fires `idleTimerFired()`.
    case startIdleTimer
    /// Disarm the idle timer: a call is in flight.
    case cancelIdleTimer
    /// Flush what was written and close the channel.
    case close
    /// A finished call's result was not sent; worth a log line or a metric, not a failure.
    case reportDroppedResult(CallHandle, DroppedResultReason)
}

/// Why `workFinished` did not lead to a Result on the wire.
enum DroppedResultReason: Hashable, Sendable {
    /// The client cancelled the call and already got CANCELLED.
    case cancelled
    /// The connection closed before the work finished.
    case connectionClosed
    /// The machine knows no such call: a handler bug, or a second completion of the same work.
    case unknownCall
}
