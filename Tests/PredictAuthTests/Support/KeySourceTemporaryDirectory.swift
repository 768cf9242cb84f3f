import Foundation

/// A directory of its own under the system's temporary directory, removed on deinit.
final class KeySourceTemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("predict-key-source-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String {
        (path as NSString).appendingPathComponent(name)
    }

    /// Writes `contents` into the existing file in place (same inode), then sets its mtime to
    /// `modified` so the change is visible however coarse the file system's timestamps are.
    func overwrite(_ name: String, with contents: String, modified: Date) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: file(name)))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(contents.utf8))
        try handle.close()
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: file(name))
    }

    /// Writes `contents` to a new file and renames it over `name`, as editors and secret
    /// volumes do.
    func replace(_ name: String, with contents: String) throws {
        try Data(contents.utf8).write(to: URL(fileURLWithPath: file(name)), options: .atomic)
    }
}
