import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file so that readers see either the old contents or the new, never a part: a temporary
/// file in the same folder, created with its final mode, synced, then renamed over the target.
enum AtomicFileWriter {
    /// Replaces `url` with `contents`, the file getting exactly `mode` (not masked by the umask).
    static func store(_ contents: String, at url: URL, mode: mode_t) throws {
        let path = url.path
        let temporaryPath = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UInt64.random(in: 0 ... .max)).tmp").path
        func failure(_ action: String, _ code: Int32) -> DevCertificateError {
            DevCertificateError(path: path, problem: "cannot \(action) (\(String(cString: strerror(code))))")
        }

        // O_EXCL: never write through a file or link someone else put at the temporary name.
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("create a temporary file beside it", errno) }
        var renamed = false
        defer { if !renamed { unlink(temporaryPath) } }

        do {
            defer { close(descriptor) }
            guard fchmod(descriptor, mode) == 0 else { throw failure("set its mode", errno) }
            var bytes = Array(contents.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw failure("write it", errno)
                }
                bytes = bytes.dropFirst(written)
            }
            guard fsync(descriptor) == 0 else { throw failure("sync it to disk", errno) }
        }
        guard rename(temporaryPath, path) == 0 else { throw failure("replace it", errno) }
        renamed = true
    }
}
