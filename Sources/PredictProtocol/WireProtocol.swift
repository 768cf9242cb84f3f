/// Constants of the predict wire protocol (PROTOCOL.md) that are not configurable.
public enum WireProtocol {
    /// The version this code speaks, sent in `Hello` and `Welcome`.
    public static let version: UInt32 = 1
    /// The TLS ALPN protocol id; a client that offers ALPN without it is refused.
    public static let alpnProtocol = "predict/1"
    /// Bytes before each frame's payload: one flags byte and a 32-bit big-endian length.
    public static let framePrefixBytes = 5
    /// The output tensor parameter carrying class labels: a `string_param` holding a JSON array
    /// in column order. Written by the server, read by the clients.
    public static let classLabelsParameter = "class_labels"
}
