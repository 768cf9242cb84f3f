#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What identifies one version of a file cheaply: its modification time, size, device and
/// inode, from one `stat`.
///
/// The inode matters because JWKS files are usually replaced by rename (editors, `kubectl`'s
/// secret volumes swap a symlink), which can keep size and, at coarse timestamp resolution,
/// mtime unchanged.
struct FileFingerprint: Equatable, Sendable {
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int
    var size: Int64
    var device: UInt64
    var inode: UInt64

    /// The fingerprint of the file at `path`, following symlinks.
    /// - Throws: ``KeySourceError`` `.fileUnreadable` naming the path and the system's reason.
    init(ofFileAt path: String) throws(KeySourceError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Self.unreadable(path, reason: Self.systemReason(errno))
        }
        try self.init(info, path: path)
    }

    /// The fingerprint of an open file.
    init(ofDescriptor descriptor: Int32, path: String) throws(KeySourceError) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw Self.unreadable(path, reason: Self.systemReason(errno))
        }
        try self.init(info, path: path)
    }

    private init(_ info: stat, path: String) throws(KeySourceError) {
        // A JWKS path pointing at a directory or a device (say /dev/zero) is a mistake worth
        // naming, not something to read until memory runs out.
        guard (info.st_mode & mode_t(S_IFMT)) == mode_t(S_IFREG) else {
            throw Self.unreadable(path, reason: "not a regular file")
        }
        #if canImport(Darwin)
        modifiedSeconds = Int(info.st_mtimespec.tv_sec)
        modifiedNanoseconds = Int(info.st_mtimespec.tv_nsec)
        #else
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
        #endif
        size = Int64(info.st_size)
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    static func unreadable(_ path: String, reason: String) -> KeySourceError {
        KeySourceError(.fileUnreadable, "cannot read JWKS file '\(path)': \(reason)")
    }

    static func systemReason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
