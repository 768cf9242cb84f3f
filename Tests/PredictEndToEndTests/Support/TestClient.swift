import Foundation
import PredictClient

extension TestServer {
    /// The real client, trusting the dev CA, connecting to this server.
    func client(connections: Int = 1, timeout: Duration = .seconds(30), host: String = "localhost") -> PredictClient {
        PredictClient(configuration: .init(
            host: host, port: port,
            security: .tls(trust: .certificateAuthority(pemFile: TestServer.credentials.caCertificate.path)),
            connectionCount: connections,
            defaultTimeout: timeout))
    }
}
