import AsyncHTTPClient
import Foundation
import Logging
import PredictAuth
import PredictServer
import PredictServing
import ServiceLifecycle

/// What the authentication flags resolve to: the server's `ServerAuthentication`, and the
/// background work that keeps keys fresh.
struct AuthenticationSetup {
    var authentication: ServerAuthentication
    /// Key sources' refresh loops, run beside the server.
    var keyRing: KeyRing?
    /// The HTTP client fetching a JWKS URL; shut down after the server.
    var httpClient: HTTPClient?
    /// Dev mode's token, to tell the user about.
    var devToken: DevTokenAuthority.Prepared?

    static func prepare(
        _ options: ServerSettings, dev: Bool, stateDirectory: URL, service: InferenceService, logger: Logger
    ) async throws -> AuthenticationSetup {
        if options.allowUnauthenticated ?? false {
            logger.warning("serving without authentication (--allow-unauthenticated): anyone who can reach the port may call every model")
            return AuthenticationSetup(authentication: .disabled)
        }
        var issuers = Set(options.issuers ?? [])
        var audiences = Set(options.audiences ?? [])
        var invokers = Set(options.invokers ?? [])
        var admins = Set(options.admins ?? [])
        var jwksFile = options.jwksFile
        var jwksURL = options.jwksURL
        var devToken: DevTokenAuthority.Prepared?
        if options.google ?? false {
            issuers.formUnion(AuthenticationOptions.googleIssuers)
            jwksURL = jwksURL ?? AuthenticationOptions.googleJWKSURL
        }
        if dev && jwksFile == nil && jwksURL == nil {
            let prepared = try DevTokenAuthority.prepare(stateDirectory: stateDirectory)
            devToken = prepared
            jwksFile = prepared.jwksFile.path
            issuers.insert(DevTokenMinter.issuer)
            audiences.insert(DevTokenMinter.audience)
            invokers.insert(DevTokenAuthority.principal)
            admins.insert(DevTokenAuthority.principal)
        }
        // Per-model invokers come from the repository; the server adds them, and again on reload.
        if invokers.isEmpty && admins.isEmpty && service.invokersByModel.isEmpty {
            throw StartupFailure("no principal may call this server: add --invoker or --admin, or list invokers in a model's config.yaml")
        }
        let httpClient = jwksURL == nil ? nil : HTTPClient(eventLoopGroupProvider: .singleton)
        let ring: KeyRing
        do {
            ring = try await KeyRing.load(jwksFile: jwksFile, jwksURL: jwksURL, httpClient: httpClient, logger: logger)
        } catch {
            try? await httpClient?.shutdown()
            throw StartupFailure("cannot load token verification keys: \(error)")
        }
        let authenticator = Authenticator(
            policy: VerificationPolicy(issuers: issuers, audiences: audiences, leeway: options.leeway ?? ServerSettings.defaultLeeway),
            keys: { ring.current },
            onUnknownKeyID: { ring.refreshForUnknownKeyID() })
        logger.info("authentication on", metadata: [
            "issuers": "\(issuers.sorted())", "audiences": "\(audiences.sorted())",
            "invokers": "\(invokers.sorted())", "admins": "\(admins.sorted())",
        ])
        return AuthenticationSetup(
            authentication: .required(authenticator, AccessPolicy(invokers: invokers, admins: admins)),
            keyRing: ring, httpClient: httpClient, devToken: devToken)
    }
}

/// The key ring's refresh loops as a lifecycle service, stopped with the server.
struct KeyRingService: Service {
    let ring: KeyRing

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await ring.run()
        }
    }
}
