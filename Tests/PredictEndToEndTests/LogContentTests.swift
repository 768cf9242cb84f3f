import Foundation
import Logging
import PredictProtocol
import PredictServer
import PredictServing
import Synchronization
import Testing

/// Issue 7's logs: call events carry the call id and model, authentication events the
/// principal, and no line ever carries a token or payload data, even at trace level.
@Suite(.serialized)
struct LogContentTests {
    final class Captured: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        var events: [[String: Any]] {
            all.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
    }

    @Test func eventsHaveTheirFieldsAndNoSecretOrPayloadIsLogged() async throws {
        let captured = Captured()
        var logger = Logger(label: "predict.log-test") { label in
            JSONLogHandler(label: label) { line in captured.lines.withLock { $0.append(line) } }
        }
        logger.logLevel = .trace
        let service = try InferenceService(repository: TestServer.exampleModels, options: ServingOptions(allowCPUSharing: true))
        let server = PredictServer(
            configuration: ServerConfiguration(
                host: "127.0.0.1", port: 0,
                transport: .tls(certificateChainFile: TestServer.credentials.serverCertificate.path, privateKeyFile: TestServer.credentials.serverKey.path),
                authentication: AuthenticationTests.authentication()),
            service: service, eventLoopThreads: 1, logger: logger)
        try await server.start()
        let good = AuthenticationTests.bearer("alice@example.com")
        let forged = AuthenticationTests.bearer("alice@example.com", signingKey: .init())
        // A feature value no log line has any reason to print.
        let marker: Float = 7.654321
        var request = AuthenticationTests.irisInference
        if case .modelInfer(var inference) = request {
            inference.inputs[0].contents.fp32Contents = [marker, 3.5, 1.4, 0.2]
            request = .modelInfer(inference)
        }
        do {
            let connection = try await RawConnection.connect(port: server.port!)
            try await connection.send(.hello(token: good))
            #expect(try await connection.nextFrame()?.isWelcome == true)
            #expect(try await AuthenticationTests.call(connection, 1, request).statusCode == .ok)
            #expect(try await AuthenticationTests.call(connection, 2, request, token: forged).statusCode == .unauthenticated)
            #expect(try await AuthenticationTests.call(connection, 3, .modelMetadata(.with { $0.name = "mlp" }), token: AuthenticationTests.bearer("bob@example.com")).statusCode == .permissionDenied)
            await connection.close()
        } catch {
            await server.shutdown()
            service.shutdown()
            throw error
        }
        await server.shutdown()
        service.shutdown()

        let events = captured.events
        #expect(events.count == captured.all.count, "every line is one JSON object")
        let call = try #require(events.first { $0["message"] as? String == "call" && $0["call_id"] as? String == "1" })
        #expect(call["model"] as? String == "iris")
        #expect(call["method"] as? String == "model_infer")
        #expect(call["status"] as? String == "OK")
        #expect(call["peer"] != nil)
        let authenticated = try #require(events.first { $0["message"] as? String == "authenticated" })
        #expect(authenticated["principal"] as? String == "alice@example.com")
        let failed = try #require(events.first { $0["message"] as? String == "authentication failed" })
        #expect((failed["reason"] as? String)?.contains("signature") == true, "\(failed)")
        let denied = try #require(events.first { $0["message"] as? String == "permission denied" })
        #expect(denied["principal"] as? String == "bob@example.com")

        let text = captured.all.joined(separator: "\n")
        for token in [good, forged] {
            let jwt = String(token.dropFirst("Bearer ".count))
            for segment in jwt.split(separator: ".") {
                #expect(!text.contains(segment), "a token segment reached the log")
            }
        }
        #expect(!text.contains("7.654321") && !text.contains("7.65432"), "payload data reached the log")
    }
}
