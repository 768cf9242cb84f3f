import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a state folder (`flock` on its `.lock` file), so that two dev servers
/// started at once do not each write half of a CA and server certificate pair.
enum DevStateLock {
    /// Runs `body` while holding the lock on `directory`, blocking until it is free.
    static func withExclusiveAccess<Result>(to directory: URL, _ body: () throws -> Result) throws -> Result {
        let path = directory.appendingPathComponent(".lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw DevCertificateError(path: path, problem: "cannot open the lock file (\(String(cString: strerror(errno))))")
        }
        // Closing the descriptor releases the lock.
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            let code = errno
            guard code == EINTR else {
                throw DevCertificateError(path: path, problem: "cannot lock it (\(String(cString: strerror(code))))")
            }
        }
        return try body()
    }
}
