import Foundation

/// The latest good parse of a JWKS document and where it came from.
///
/// Key sources hand these out whole: a reader never sees a document from one load paired with
/// the time or origin of another.
public struct KeySourceSnapshot<Document: Sendable>: Sendable {
    /// The parsed key set.
    public var document: Document
    /// When the document was read and parsed.
    public var loadedAt: Date
    /// The file path or URL the document came from, for logs and error messages.
    public var origin: String

    public init(document: Document, loadedAt: Date, origin: String) {
        self.document = document
        self.loadedAt = loadedAt
        self.origin = origin
    }
}

extension KeySourceSnapshot: Equatable where Document: Equatable {}
