/// The per-connection limits a server enforces and advertises in `Welcome`.
///
/// A value type with documented defaults, separate from the server it configures.
public struct ProtocolLimits: Sendable, Hashable {
    /// The largest frame payload accepted, in bytes (`Welcome.max_frame_bytes`). A longer
    /// frame is refused from its prefix alone, before any of its payload is buffered.
    /// Default 4 MiB, gRPC's default receive limit: room for a batch of ~30,000 rows of 30
    /// FP32 features in raw form.
    public var maxFrameBytes: Int

    /// Calls in flight on one connection (`Welcome.max_concurrent_calls`); excess calls get
    /// RESOURCE_EXHAUSTED and the connection stays up. Default 1024: above the 1,000 calls
    /// in flight that one client connection must sustain (issue 4), a power of two so the
    /// call table never grows past its first sizing, and small enough that one connection
    /// cannot fill the serving queue on its own.
    public var maxConcurrentCalls: Int

    public init(
        maxFrameBytes: Int = ProtocolLimits.defaultMaxFrameBytes,
        maxConcurrentCalls: Int = ProtocolLimits.defaultMaxConcurrentCalls
    ) {
        precondition(maxFrameBytes > 0 && maxFrameBytes <= Int(UInt32.max), "maxFrameBytes must fit the 32-bit length prefix")
        precondition(maxConcurrentCalls > 0, "maxConcurrentCalls must be positive")
        self.maxFrameBytes = maxFrameBytes
        self.maxConcurrentCalls = maxConcurrentCalls
    }

    /// 4 MiB.
    public static let defaultMaxFrameBytes = 4 * 1024 * 1024
    /// 1024.
    public static let defaultMaxConcurrentCalls = 1024
    /// The defaults above.
    public static let `default` = ProtocolLimits()
}
