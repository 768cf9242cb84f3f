import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where dev mode keeps its state (the local CA and the server certificate), and how the folder is
/// made.
public enum DevStateDirectory {
    /// The default state folder: `$XDG_STATE_HOME/predict` when `XDG_STATE_HOME` is an absolute
    /// path (the XDG spec ignores relative ones), else `$HOME/.local/state/predict`, else the
    /// current user's home directory's `.local/state/predict`.
    public static func defaultURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let stateHome = environment["XDG_STATE_HOME"], stateHome.hasPrefix("/") {
            return URL(fileURLWithPath: stateHome, isDirectory: true).appendingPathComponent("predict", isDirectory: true)
        }
        let home: URL
        if let path = environment["HOME"], path.hasPrefix("/") {
            home = URL(fileURLWithPath: path, isDirectory: true)
        } else {
            home = FileManager.default.homeDirectoryForCurrentUser
        }
        return home.appendingPathComponent(".local/state/predict", isDirectory: true)
    }

    /// Makes `url` a folder if it is not one yet: missing parents with the usual mode, the folder
    /// itself with mode 0700, as it holds private keys. An existing folder's mode is left alone.
    static func create(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw DevCertificateError(path: url.path, problem: "exists but is not a folder")
            }
            return
        }
        let parent = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw DevCertificateError(path: parent.path, problem: "cannot create the folder (\(error.localizedDescription))")
        }
        if mkdir(url.path, 0o700) != 0 {
            let code = errno
            // Another process may have made it in between; that folder is as good as ours.
            guard code == EEXIST else {
                throw DevCertificateError(path: url.path, problem: "cannot create the folder (\(String(cString: strerror(code))))")
            }
        } else if chmod(url.path, 0o700) != 0 {
            // mkdir's mode is masked by the umask; owner bits survive any sane umask, but make sure.
            throw DevCertificateError(path: url.path, problem: "cannot set mode 0700 (\(String(cString: strerror(errno))))")
        }
    }
}
