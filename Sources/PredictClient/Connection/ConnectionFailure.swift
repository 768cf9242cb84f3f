#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import PredictProtocol

/// Turns what NIO and NIOSSL throw into the short cause a person reads after
/// "cannot connect to host:port: ": `connection refused`, `certificate verify failed`, ….
/// Never a type dump or a stack trace when the error is one it knows.
enum ConnectionFailure {
    /// `serverHostname` is the name the certificate was checked against.
    static func describe(_ error: any Error, serverHostname: String?) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first {
                return describe(first.error, serverHostname: serverHostname)
            }
            // The resolver's own text repeats host and port; the name is what a person needs.
            return "cannot resolve host '\(error.host)'"
        case let error as IOError:
            return systemMessage(error.errnoCode)
        case let error as ChannelError:
            switch error {
            case .connectTimeout(let amount):
                return "timed out connecting after \(Duration.nanoseconds(amount.nanoseconds).formattedSeconds)"
            case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed:
                return "the connection was closed"
            default:
                return "\(error)"
            }
        case let error as NIOSSLError:
            switch error {
            case .handshakeFailed(let boringSSL):
                return "TLS handshake failed: " + describe(boringSSL)
            case .uncleanShutdown:
                return "the server ended the TLS session without closing it"
            case .failedToLoadCertificate, .noSuchFilesystemObject:
                return "not a readable PEM certificate file"
            default:
                return "TLS error: \(error)"
            }
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            return "certificate verify failed: the server's certificate is not valid for '\(serverHostname ?? "the address")'"
        case let error as BoringSSLError:
            return describe(error)
        case let error as ProtocolError:
            return "protocol error from the server: \(error)"
        case let error as PredictClientError:
            return error.message
        default:
            return "\(error)"
        }
    }

    /// BoringSSL's error stack, as its reason names in words: `certificate verify failed`.
    private static func describe(_ error: BoringSSLError) -> String {
        guard case .sslError(let stack) = error else { return "\(error)" }
        let reasons = stack.map { entry -> String in
            // "Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /path/handshake.cc:320"
            var text = String(describing: entry)
            if let at = text.range(of: " at ", options: .backwards) {
                text = String(text[..<at.lowerBound])
            }
            let reason = (text.split(separator: ":").last.map(String.init) ?? text).trimmingCharacters(in: .whitespaces)
            return String(reason.lowercased().map { $0 == "_" ? " " : $0 })
        }
        if reasons.contains(where: { $0.contains("no application protocol") }) {
            return "the server refused ALPN protocol \(WireProtocol.alpnProtocol)"
        }
        if reasons.contains("certificate verify failed") {
            return "certificate verify failed: the server's certificate is not from a trusted CA, or has expired"
        }
        return reasons.isEmpty ? "\(error)" : reasons.joined(separator: "; ")
    }

    /// "connection refused" from ECONNREFUSED.
    private static func systemMessage(_ code: CInt) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        let message = String(cString: text)
        return message.prefix(1).lowercased() + message.dropFirst()
    }
}
