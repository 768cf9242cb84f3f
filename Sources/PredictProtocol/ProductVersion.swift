/// The name and release of this software, as the server reports it in `Welcome.server` and
/// `server_metadata`, and the Swift client in `Hello.user_agent`.
public enum ProductVersion {
    public static let name = "predict"
    public static let version = "0.1.0"
}
