import AsyncHTTPClient
import Foundation
import NIOCore

extension URLKeySource {
    /// A good response: the parsed document and how long it may be kept.
    struct Fetched: Sendable {
        var snapshot: KeySourceSnapshot<Document>
        var cacheControl: CacheControlDirectives
    }

    /// Why a fetch failed, in words fit for a log line: never the body.
    struct FetchFailure: Error, Sendable {
        var code: KeySourceError.Code
        var reason: String

        func error(url: String) -> KeySourceError {
            switch code {
            case .documentInvalid:
                KeySourceError(code, "the JWKS at '\(url)' is not a valid key set: \(reason)")
            default:
                KeySourceError(code, "fetching the JWKS at '\(url)' failed: \(reason)")
            }
        }
    }

    /// One GET of the URL, body included, within ``URLKeySourcePolicy/requestTimeout``.
    func fetchDocument() async -> Result<Fetched, FetchFailure> {
        do {
            // AsyncHTTPClient's deadline ends when the response head arrives; the race with a
            // sleep also bounds a body that trickles in.
            let response = try await withTimeout(policy.requestTimeout) {
                try await self.fetchResponse()
            }
            let document: Document
            do {
                document = try parse(response.body)
            } catch {
                return .failure(FetchFailure(code: .documentInvalid, reason: "\(error)"))
            }
            let snapshot = KeySourceSnapshot(document: document, loadedAt: Date(), origin: url)
            return .success(Fetched(snapshot: snapshot, cacheControl: response.cacheControl))
        } catch let failure as FetchFailure {
            return .failure(failure)
        } catch {
            return .failure(FetchFailure(code: .fetchFailed, reason: "\(error)"))
        }
    }

    private struct Response: Sendable {
        var body: Data
        var cacheControl: CacheControlDirectives
    }

    private func fetchResponse() async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/jwk-set+json, application/json")
        let response = try await httpClient.execute(
            request,
            deadline: .now() + TimeAmount(policy.requestTimeout),
            logger: logger
        )
        // An unread body is cancelled when the response is dropped, so error pages are never
        // downloaded, let alone logged.
        guard response.status == .ok else {
            throw FetchFailure(code: .fetchFailed, reason: "HTTP status \(response.status.code)")
        }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: policy.maximumDocumentBytes)
        } catch is NIOTooManyBytesError {
            throw FetchFailure(
                code: .fetchFailed,
                reason: "the document is larger than \(policy.maximumDocumentBytes) bytes"
            )
        }
        return Response(
            body: Data(body.readableBytesView),
            cacheControl: CacheControlDirectives(fieldValues: response.headers["Cache-Control"])
        )
    }

    private func withTimeout<Value: Sendable>(
        _ timeout: Duration,
        _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        try await withThrowingTaskGroup(of: Value.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw FetchFailure(code: .fetchFailed, reason: "no complete response within \(timeout)")
            }
            defer { group.cancelAll() }
            // The first child to finish decides; `next()` is non-nil with two children.
            return try await group.next()!
        }
    }
}
