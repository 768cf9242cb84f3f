import Foundation
import Logging
import PredictServer
import PredictServing

/// A real `PredictServer` over TLS on 127.0.0.1 with an ephemeral port, serving the example
/// models (or the versions a test gives), with dev-mode certificates made once per test run.
/// Authentication is off unless a test asks for it (AuthenticationTests do).
struct TestServer {
    let server: PredictServer
    let service: InferenceService
    let port: Int

    /// The CA and server certificate every test server uses, in a temporary state folder.
    static let credentials: DevCredentials = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("predict-e2e-\(getpid())")
        return try! DevCertificateAuthority.prepare(stateDirectory: folder)
    }()

    /// The repository of examples/models.
    static let exampleModels = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/models")

    /// Starts a server. `versions` replaces the example repository; `configure` adjusts the
    /// configuration (timeouts, limits) before it starts.
    static func start(
        versions: [ServedModelVersion]? = nil,
        repository: URL? = nil,
        insecure: Bool = false,
        authentication: ServerAuthentication = .disabled,
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        let options = ServingOptions(allowCPUSharing: true)
        let service = try versions.map { try InferenceService($0, options: options) }
            ?? InferenceService(repository: repository ?? exampleModels, options: options)
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0,
            transport: insecure ? .insecure : .tls(
                certificateChainFile: credentials.serverCertificate.path,
                privateKeyFile: credentials.serverKey.path),
            authentication: authentication)
        configure(&configuration)
        var logger = Logger(label: "predict.e2e")
        logger.logLevel = .critical
        let server = PredictServer(configuration: configuration, service: service, eventLoopThreads: 1, logger: logger)
        do {
            try await server.start()
        } catch {
            service.shutdown()
            throw error
        }
        return TestServer(server: server, service: service, port: server.port!)
    }

    /// Drains the server and stops the service's workers.
    func stop() async {
        await server.shutdown()
        service.shutdown()
    }
}

/// Runs `body` against a fresh server and always stops it.
func withTestServer<T>(
    versions: [ServedModelVersion]? = nil,
    insecure: Bool = false,
    authentication: ServerAuthentication = .disabled,
    configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: (TestServer) async throws -> T
) async throws -> T {
    let server = try await TestServer.start(versions: versions, insecure: insecure, authentication: authentication, configure: configure)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
