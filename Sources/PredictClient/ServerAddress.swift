/// A server's `host:port` as a person writes it: `localhost:8443`, `127.0.0.1:8443`,
/// `[::1]:8443`.
public struct ServerAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    /// An address from its parts.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// INVALID_ARGUMENT naming the text when it is not `host:port` with a port in 1...65535.
    public init(parsing text: String) throws(PredictClientError) {
        let invalid = PredictClientError(.invalidArgument, "'\(text)' is not host:port (e.g. localhost:8443 or [::1]:8443)")
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { throw invalid }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { throw invalid }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let number = Int(port), (1...65535).contains(number) else { throw invalid }
        self.init(host: String(host), port: number)
    }

    /// `host:port`, with brackets around an IPv6 address.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
