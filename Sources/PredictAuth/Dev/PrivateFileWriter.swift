import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes secrets (the dev signing key) to files only their owner can read.
///
/// The file is created with mode 0600 by `open` itself, not chmod-ed afterwards, so the key is
/// never readable by others even for a moment, then renamed over the destination so a reader
/// never sees half a key.
enum PrivateFileWriter {
    struct WriteError: Error, CustomStringConvertible {
        let description: String
    }

    static func store(_ bytes: [UInt8], at file: URL) throws {
        let temporary = file.deletingLastPathComponent()
            .appendingPathComponent(".\(file.lastPathComponent).\(UInt64.random(in: 0...UInt64.max)).tmp").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw WriteError(description: "cannot create \(temporary): errno \(errno)") }
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(descriptor)
                unlink(temporary)
                throw WriteError(description: "cannot write \(temporary): errno \(code)")
            }
            written += result
        }
        let synced = fsync(descriptor) == 0
        let closed = close(descriptor) == 0
        guard synced, closed else {
            let code = errno
            unlink(temporary)
            throw WriteError(description: "cannot flush \(temporary): errno \(code)")
        }
        guard rename(temporary, file.path) == 0 else {
            let code = errno
            unlink(temporary)
            throw WriteError(description: "cannot rename onto \(file.path): errno \(code)")
        }
    }
}
