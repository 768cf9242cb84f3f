import ArgumentParser
import PredictServer

/// The flags of issue 5: where keys come from, what a token must say, who may call. Each also
/// has a key under `authentication` in the configuration file; a flag given wins.
struct AuthenticationOptions: ParsableArguments {
    @Option(name: .customLong("jwks-file"), help: ArgumentHelp("A JWKS file of token verification keys; re-read when it changes.", valueName: "file"))
    var jwksFile: String?

    @Option(name: .customLong("jwks-url"), help: ArgumentHelp("An HTTPS JWKS URL, refreshed as its Cache-Control says.", valueName: "url"))
    var jwksURL: String?

    @Flag(help: "Google identity tokens: issuers https://accounts.google.com and accounts.google.com, Google's JWKS URL.")
    var google = false

    @Option(name: .customLong("issuer"), help: ArgumentHelp("An accepted token issuer (iss), exact match. Repeatable.", valueName: "iss"))
    var issuers: [String] = []

    @Option(name: .customLong("audience"), help: ArgumentHelp("An accepted audience (aud), exact match, e.g. the service URL. Repeatable.", valueName: "aud"))
    var audiences: [String] = []

    @Option(help: ArgumentHelp("Seconds of clock skew allowed on exp, nbf and iat. Default 60.", valueName: "seconds"))
    var leeway: Int?

    @Option(name: .customLong("invoker"), help: ArgumentHelp("A principal (verified email, else token subject) that may call every model; * for any valid token. Repeatable.", valueName: "principal"))
    var invokers: [String] = []

    @Option(name: .customLong("admin"), help: ArgumentHelp("A principal that may also make administrative calls. Repeatable.", valueName: "principal"))
    var admins: [String] = []

    @Flag(name: .customLong("allow-unauthenticated"), help: "Serve without checking tokens, as Cloud Run's --allow-unauthenticated. Off by default.")
    var allowUnauthenticated = false

    @Flag(name: .customLong("allow-unauthenticated-probes"), help: "Let server_live and server_ready through without a token, for load balancer probes.")
    var allowUnauthenticatedProbes = false

    static let googleIssuers = ["https://accounts.google.com", "accounts.google.com"]
    static let googleJWKSURL = "https://www.googleapis.com/oauth2/v3/certs"

    func validate() throws {
        if let leeway, !(0...3600).contains(leeway) { throw ValidationError("--leeway must be 0 to 3600 seconds") }
    }

    /// What these flags say, to lay over the configuration file.
    func apply(to settings: inout ServerSettings) {
        if let jwksFile { settings.jwksFile = jwksFile }
        if let jwksURL { settings.jwksURL = jwksURL }
        if google { settings.google = true }
        if !issuers.isEmpty { settings.issuers = issuers }
        if !audiences.isEmpty { settings.audiences = audiences }
        if let leeway { settings.leeway = .seconds(leeway) }
        if !invokers.isEmpty { settings.invokers = invokers }
        if !admins.isEmpty { settings.admins = admins }
        if allowUnauthenticated { settings.allowUnauthenticated = true }
        if allowUnauthenticatedProbes { settings.allowUnauthenticatedProbes = true }
    }
}
