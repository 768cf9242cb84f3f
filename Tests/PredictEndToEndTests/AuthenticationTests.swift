import Crypto
import Foundation
import PredictAuth
import PredictClient
import PredictProtocol
import PredictServer
import Testing

/// PROTOCOL.md rules 1, 2 and 6 over TLS with authentication on: a JWKS of one ES256 key,
/// issuer "https://issuer.test", audience "predict-e2e", and a policy with server-wide,
/// per-model and admin principals.
@Suite("Authentication over TLS")
struct AuthenticationTests {
    static let issuer = "https://issuer.test"
    static let audience = "predict-e2e"
    static let key = P256.Signing.PrivateKey()
    static let keyID = "e2e-key"
    static let keys = KeySet(keys: [VerificationKey(keyID: keyID, es256: key.publicKey)])

    static func authentication(leeway: Duration = .seconds(60), probesOpen: Bool = false) -> ServerAuthentication {
        let authenticator = Authenticator(
            policy: VerificationPolicy(issuers: [issuer], audiences: [audience], leeway: leeway),
            keys: { keys })
        return .required(authenticator, AccessPolicy(
            invokers: ["alice@example.com"],
            modelInvokers: ["iris": ["bob@example.com"]],
            admins: ["root@example.com"]))
    }

    /// "Bearer <token>" for `email`, signed with `signingKey` (default: the trusted one).
    static func bearer(_ email: String, lifetime: TimeInterval = 600, issuedAgo: TimeInterval = 0, signingKey: P256.Signing.PrivateKey = key) -> String {
        let issued = Date() - issuedAgo
        let token = DevTokenMinter.mint(
            DevTokenClaims(issuer: issuer, subject: "sub-\(email)", email: email, audience: audience, issuedAt: issued, expiresAt: issued + lifetime),
            key: signingKey, keyID: keyID)
        return "Bearer " + token
    }

    static func withAuthServer(leeway: Duration = .seconds(60), probesOpen: Bool = false, _ body: (TestServer) async throws -> Void) async throws {
        try await withTestServer(authentication: authentication(leeway: leeway), configure: {
            $0.allowsUnauthenticatedHealthChecks = probesOpen
        }, body)
    }

    static func call(_ connection: RawConnection, _ id: UInt64, _ request: Predict_V1_Call.OneOf_Request, token: String = "") async throws -> Predict_V1_Status {
        var frame = Predict_V1_Frame.call(id, request)
        frame.call.authorization = token
        try await connection.send(frame)
        let answer = try #require(try await connection.nextFrame())
        #expect(answer.callID == id)
        return answer.result.status
    }

    static let irisInference = Predict_V1_Call.OneOf_Request.modelInfer(.rows(model: "iris", input: "X", [Iris.setosa], raw: false))

    @Test func aCallWithoutATokenIsUnauthenticated() async throws {
        try await Self.withAuthServer { server in
            let connection = try await RawConnection.open(port: server.port)
            let status = try await Self.call(connection, 1, Self.irisInference)
            #expect(status.statusCode == .unauthenticated)
            #expect(status.message.contains("missing token"))
            #expect(try await Self.call(connection, 2, .serverLive(.init())).statusCode == .unauthenticated)
        }
    }

    @Test func probesMayBeLetThroughWithoutAToken() async throws {
        try await Self.withAuthServer(probesOpen: true) { server in
            let connection = try await RawConnection.open(port: server.port)
            #expect(try await Self.call(connection, 1, .serverLive(.init())).statusCode == .ok)
            #expect(try await Self.call(connection, 2, .serverReady(.init())).statusCode == .ok)
            #expect(try await Self.call(connection, 3, Self.irisInference).statusCode == .unauthenticated)
        }
    }

    @Test func aHelloWithABadTokenIsGoAwayUnauthenticatedAndOthersGoOn() async throws {
        try await Self.withAuthServer { server in
            let connection = try await RawConnection.connect(port: server.port)
            let forged = Self.bearer("alice@example.com", signingKey: P256.Signing.PrivateKey())
            try await connection.send(.hello(token: forged))
            let frames = try await connection.framesUntilClosed()
            let goAway = try #require(frames.last)
            #expect(goAway.goAway.status.statusCode == .unauthenticated)
            #expect(goAway.goAway.status.message.contains("token rejected"))
            #expect(!goAway.goAway.status.message.contains(forged.dropFirst(7).prefix(20)))
            let good = try await RawConnection.connect(port: server.port)
            try await good.send(.hello(token: Self.bearer("alice@example.com")))
            #expect(try await good.nextFrame()?.isWelcome == true)
        }
    }

    @Test func aBadPerCallTokenIsUnauthenticated() async throws {
        try await Self.withAuthServer { server in
            let connection = try await RawConnection.open(port: server.port)
            let expired = Self.bearer("alice@example.com", lifetime: 3600, issuedAgo: 7200)
            let status = try await Self.call(connection, 1, Self.irisInference, token: expired)
            #expect(status.statusCode == .unauthenticated)
            #expect(status.message.contains("expired"), "\(status.message)")
            let garbage = try await Self.call(connection, 2, Self.irisInference, token: "Bearer not.a.jwt")
            #expect(garbage.statusCode == .unauthenticated)
        }
    }

    @Test func aGoodTokenOfAPrincipalThatIsNotAnInvokerIsPermissionDenied() async throws {
        try await Self.withAuthServer { server in
            let connection = try await RawConnection.connect(port: server.port)
            try await connection.send(.hello(token: Self.bearer("mallory@example.com")))
            #expect(try await connection.nextFrame()?.isWelcome == true)
            let status = try await Self.call(connection, 1, Self.irisInference)
            #expect(status.statusCode == .permissionDenied)
            #expect(status.message.contains("mallory@example.com"))
            #expect(status.message.contains("iris"))
        }
    }

    @Test func anInvokerIsServedAndWelcomeSaysWhoItIs() async throws {
        try await Self.withAuthServer { server in
            let connection = try await RawConnection.connect(port: server.port)
            try await connection.send(.hello(token: Self.bearer("alice@example.com")))
            let welcome = try #require(try await connection.nextFrame()).welcome
            #expect(welcome.identity.email == "alice@example.com")
            #expect(welcome.identity.subject == "sub-alice@example.com")
            #expect(welcome.identity.issuer == Self.issuer)
            #expect(welcome.identity.expiresAtUnix > Int64(Date().timeIntervalSince1970))
            #expect(try await Self.call(connection, 1, Self.irisInference).statusCode == .ok)
        }
    }

    @Test func perModelInvokersReachTheirModelOnly() async throws {
        try await Self.withAuthServer { server in
            let connection = try await RawConnection.open(port: server.port)
            let bob = Self.bearer("bob@example.com")
            #expect(try await Self.call(connection, 1, Self.irisInference, token: bob).statusCode == .ok)
            let forest = Predict_V1_Call.OneOf_Request.modelInfer(.rows(model: "forest", input: "X", [Array(repeating: 0, count: 30)], raw: false))
            #expect(try await Self.call(connection, 2, forest, token: bob).statusCode == .permissionDenied)
        }
    }

    @Test func administrativeCallsNeedAnAdmin() async throws {
        try await Self.withAuthServer { server in
            let connection = try await RawConnection.open(port: server.port)
            let alice = try await Self.call(connection, 1, .repositoryIndex(.init()), token: Self.bearer("alice@example.com"))
            #expect(alice.statusCode == .permissionDenied)
            let root = try await Self.call(connection, 2, .repositoryIndex(.init()), token: Self.bearer("root@example.com"))
            #expect(root.statusCode == .ok)
        }
    }

    @Test func theConnectionsIdentityExpiresWithItsTokenUntilAFreshHello() async throws {
        try await Self.withAuthServer(leeway: .zero) { server in
            // Long enough for the first call on a loaded machine (exp is whole seconds, so up to
            // one second shorter); the wait below runs to just past it.
            let lifetime: TimeInterval = 4
            // Minted before connecting: on a loaded machine the handshake can take a second.
            let issued = Date()
            let token = Self.bearer("alice@example.com", lifetime: lifetime)
            let connection = try await RawConnection.connect(port: server.port)
            try await connection.send(.hello(token: token))
            #expect(try await connection.nextFrame()?.isWelcome == true)
            #expect(try await Self.call(connection, 1, Self.irisInference).statusCode == .ok)
            // exp is rounded to a whole second, either way: wait past the latest it can be.
            let pastExpiry = issued + lifetime + 1.2
            try await Task.sleep(for: .seconds(max(0, pastExpiry.timeIntervalSinceNow)))
            let expired = try await Self.call(connection, 2, Self.irisInference)
            #expect(expired.statusCode == .unauthenticated)
            #expect(expired.message.contains("expired"))
            try await connection.send(.hello(token: Self.bearer("alice@example.com")))
            #expect(try await connection.nextFrame()?.isWelcome == true)
            #expect(try await Self.call(connection, 3, Self.irisInference).statusCode == .ok)
        }
    }

    @Test func theClientSendsItsProvidersTokenInHello() async throws {
        try await Self.withAuthServer { server in
            let token = String(Self.bearer("alice@example.com").dropFirst("Bearer ".count))
            let client = PredictClient(configuration: .init(
                host: "localhost", port: server.port,
                security: .tls(trust: .certificateAuthority(pemFile: TestServer.credentials.caCertificate.path)),
                tokenProvider: { token }))
            let predictions = try await client.infer(model: "iris", rows: [Iris.setosa])
            #expect(predictions.first?.label == "0")
            await client.close()
            let anonymous = server.client()
            let error = await #expect(throws: PredictClientError.self) { try await anonymous.infer(model: "iris", rows: [Iris.setosa]) }
            #expect(error?.code == .unauthenticated)
            await anonymous.close()
        }
    }
}
