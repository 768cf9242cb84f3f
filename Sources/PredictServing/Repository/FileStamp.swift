import Foundation

/// What tells one version of a file from the next without reading it: where it really is
/// (symbolic links resolved), its inode, size and modification time.
///
/// Links matter because Kubernetes updates a mounted Secret or ConfigMap by swapping a link to
/// a new directory: the path stays, the file behind it changes.
public struct FileStamp: Hashable, Sendable {
    public let resolvedPath: String
    public let inode: UInt64
    public let size: UInt64
    public let modified: Date

    /// The stamp of the file or directory at `url`, nil when there is nothing there.
    public init?(of url: URL) {
        let resolved = url.resolvingSymlinksInPath().path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolved) else { return nil }
        self.resolvedPath = resolved
        self.inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        self.size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        self.modified = attributes[.modificationDate] as? Date ?? .distantPast
    }
}
