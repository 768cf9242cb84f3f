import ArgumentParser
import Crypto
import Foundation
import PredictAuth
import PredictCommandLine

/// `predict-client token`: mints a token from a dev signing key, for development and tests
/// only. Production tokens come from the identity provider (`gcloud auth print-identity-token`).
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Mint a DEVELOPMENT token from a dev signing key (predict-server --dev makes one). Not for production.",
        discussion: """
            Prints an ES256 JWT on stdout. The default key is dev mode's, in its state folder; \
            a server trusts the token only if it trusts that key's JWKS (dev mode does).
            """)

    @Option(help: ArgumentHelp("The PEM P-256 signing key. Default: $XDG_STATE_HOME/predict/dev-signing-key.pem, else ~/.local/state/predict/dev-signing-key.pem.", valueName: "file"))
    var key: String?

    @Option(help: "The token's sub.")
    var subject = "developer"

    @Option(help: "The token's email (marked verified). Empty for none.")
    var email = "developer@predict.dev"

    @Option(help: "The token's iss.")
    var issuer = DevTokenMinter.issuer

    @Option(help: "The token's aud.")
    var audience = DevTokenMinter.audience

    @Option(help: ArgumentHelp("Seconds until it expires (at most 86400).", valueName: "seconds"))
    var lifetime = 3600

    func validate() throws {
        guard (1...86_400).contains(lifetime) else { throw ValidationError("--lifetime must be 1 to 86400 seconds") }
        guard !subject.isEmpty else { throw ValidationError("--subject must not be empty") }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let state = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 + "/predict" : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/predict"
        let path = key ?? state + "/dev-signing-key.pem"
        let signingKey: P256.Signing.PrivateKey
        do {
            signingKey = try DevTokenMinter.loadSigningKey(from: URL(fileURLWithPath: path))
        } catch {
            printError("error: INVALID_ARGUMENT: cannot read the signing key '\(path)': \(error)")
            throw ExitCode(3)
        }
        let now = Date()
        let claims = DevTokenClaims(
            issuer: issuer, subject: subject, email: email.isEmpty ? nil : email,
            audience: audience, issuedAt: now, expiresAt: now + TimeInterval(lifetime))
        print(DevTokenMinter.mint(claims, key: signingKey, keyID: DevTokenMinter.keyID(for: signingKey.publicKey)))
    }
}
