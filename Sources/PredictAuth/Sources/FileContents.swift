#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// The bytes of a file together with the fingerprint of the very file they were read from.
///
/// Taking the fingerprint from the open descriptor, not a separate `stat` of the path, means a
/// replacement landing between the two is never mistaken for the version already read: it
/// shows up as a new fingerprint on the next poll.
struct FileContents: Sendable {
    var data: Data
    var fingerprint: FileFingerprint

    /// Reads the whole regular file at `path`.
    /// - Throws: ``KeySourceError`` `.fileUnreadable` naming the path and the system's reason.
    static func load(_ path: String) throws(KeySourceError) -> FileContents {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw FileFingerprint.unreadable(path, reason: FileFingerprint.systemReason(errno))
        }
        defer { close(descriptor) }
        let fingerprint = try FileFingerprint(ofDescriptor: descriptor, path: path)
        var data = Data(capacity: Int(max(fingerprint.size, 0)))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileFingerprint.unreadable(path, reason: FileFingerprint.systemReason(errno))
            }
            data.append(contentsOf: chunk[0..<count])
        }
        return FileContents(data: data, fingerprint: fingerprint)
    }
}
