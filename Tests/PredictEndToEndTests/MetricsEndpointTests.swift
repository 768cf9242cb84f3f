import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOPosix
import PredictClient
import PredictProtocol
import PredictServer
import PredictServing
import Prometheus
import Testing

/// Issue 7's metrics: known traffic, then a scrape of /metrics whose counters match it.
@Suite(.serialized)
struct MetricsEndpointTests {
    /// A server with authentication (AuthenticationTests' keys and principals) whose metrics,
    /// serving core's included, go to a registry of its own, and the endpoint that serves it.
    struct Instrumented {
        let server: PredictServer
        let service: InferenceService
        let endpoint: MetricsEndpoint

        static func start() async throws -> Instrumented {
            let registry = PrometheusCollectorRegistry()
            let factory = PrometheusSetup.factory(registry: registry)
            let service = try InferenceService(
                repository: TestServer.exampleModels, options: ServingOptions(allowCPUSharing: true, metricsFactory: factory))
            var logger = Logger(label: "predict.metrics-test")
            logger.logLevel = .critical
            let server = PredictServer(
                configuration: ServerConfiguration(
                    host: "127.0.0.1", port: 0,
                    transport: .tls(certificateChainFile: TestServer.credentials.serverCertificate.path, privateKeyFile: TestServer.credentials.serverKey.path),
                    authentication: AuthenticationTests.authentication()),
                service: service, eventLoopThreads: 1, metrics: ServerMetrics(factory: factory), logger: logger)
            try await server.start()
            let endpoint = MetricsEndpoint(host: "127.0.0.1", port: 0, registry: registry, logger: logger)
            try await endpoint.start()
            return Instrumented(server: server, service: service, endpoint: endpoint)
        }

        func stop() async {
            await server.shutdown()
            await endpoint.shutdown()
            service.shutdown()
        }

        func client(_ email: String) -> PredictClient {
            let token = String(AuthenticationTests.bearer(email).dropFirst("Bearer ".count))
            return PredictClient(configuration: .init(
                host: "localhost", port: server.port!,
                security: .tls(trust: .certificateAuthority(pemFile: TestServer.credentials.caCertificate.path)),
                tokenProvider: { token }, connectionCount: 1, defaultTimeout: .seconds(20)))
        }

        /// GET `path` on the metrics port: status and body.
        func get(_ path: String) async throws -> (status: UInt, body: String) {
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(endpoint.port!)\(path)"), timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 10 << 20)
            return (response.status.code, String(buffer: body))
        }
    }

    /// `name{labels} value` lines of the exposition, by `name{labels}`.
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    @Test func scrapeAfterKnownTrafficCountsEachCallConnectionAndFailure() async throws {
        let instrumented = try await Instrumented.start()
        do {
            // 5 inferences of one row by alice (an invoker), on one connection.
            let alice = instrumented.client("alice@example.com")
            let request = try await alice.featureRowsRequest(model: "iris", rows: [[5.1, 3.5, 1.4, 0.2]])
            for _ in 0..<5 { #expect(try await alice.infer(request).modelVersion == "1") }
            // 2 calls naming a model that does not exist.
            for _ in 0..<2 {
                await #expect(throws: PredictClientError.self) { try await alice.infer(model: "nosuch", rows: [[1]]) }
            }
            await alice.close()
            // bob may call iris only: mlp is denied.
            let bob = instrumented.client("bob@example.com")
            await #expect(throws: PredictClientError.self) { try await bob.metadata(model: "mlp") }
            await bob.close()
            // A call without any token, and a Hello with an expired one.
            let anonymous = try await RawConnection.open(port: instrumented.server.port!)
            try await anonymous.send(.live(1))
            #expect(try await anonymous.results(1)[1]?.status.statusCode == .unauthenticated)
            await anonymous.close()
            let expired = try await RawConnection.connect(port: instrumented.server.port!)
            try await expired.send(.hello(token: AuthenticationTests.bearer("alice@example.com", lifetime: 60, issuedAgo: 3600)))
            _ = try await expired.framesUntilClosed()
            // Plaintext bytes on the TLS port: a failed handshake.
            let plaintext = try await RawConnection.connect(port: instrumented.server.port!, tls: false)
            try await plaintext.send(bytes: Array("GET / HTTP/1.1\r\n\r\n".utf8))
            _ = try await plaintext.framesUntilClosed()

            // The server sees the last close a moment after the client.
            var (status, body) = try await instrumented.get("/metrics")
            for _ in 0..<100 where Self.samples(body)["predict_connections"] != 0 {
                try await Task.sleep(for: .milliseconds(20))
                (status, body) = try await instrumented.get("/metrics")
            }
            #expect(status == 200)
            let samples = Self.samples(body)
            func value(_ key: String) -> Double? { samples[key] }
            #expect(value(#"predict_calls_total{method="model_infer",model="iris",version="1",status="OK"}"#) == 5)
            #expect(value(#"predict_calls_total{method="model_metadata",model="",version="",status="NOT_FOUND"}"#) == 2)
            #expect(value(#"predict_calls_total{method="model_metadata",model="mlp",version="",status="PERMISSION_DENIED"}"#) == 1)
            #expect(value(#"predict_calls_total{method="server_live",model="",version="",status="UNAUTHENTICATED"}"#) == 1)
            #expect(value(#"predict_call_duration_seconds_count{method="model_infer"}"#) == 5)
            #expect(value(#"predict_requests_total{model="iris",version="1",status="OK"}"#) == 5)
            #expect(value(#"predict_queue_wait_seconds_count{model="iris",version="1"}"#) == 5)
            #expect(value(#"predict_batch_rows_sum{model="iris",version="1"}"#) == 5)
            #expect((value(#"predict_compute_seconds_count{model="iris",version="1"}"#) ?? 0) >= 1)
            #expect(value(#"predict_queue_depth{model="iris",version="1"}"#) == 0)
            #expect(value(#"predict_authentication_failures_total{reason="permission_denied"}"#) == 1)
            #expect(value(#"predict_authentication_failures_total{reason="missing_token"}"#) == 1)
            #expect(value(#"predict_authentication_failures_total{reason="expired"}"#) == 1)
            #expect(value(#"predict_tls_handshake_failures_total{reason="handshake_failed"}"#) == 1)
            // alice, bob, the anonymous and expired connections, and the plaintext one.
            #expect(value("predict_connections_accepted_total") == 5)
            #expect(value("predict_connections") == 0)
            // Nothing a caller sent becomes a label.
            #expect(!body.contains("nosuch"))

            #expect(try await instrumented.get("/other").status == 404)
        } catch {
            await instrumented.stop()
            throw error
        }
        await instrumented.stop()
    }
}
