import Foundation

/// A failure to prepare dev-mode credentials: the file or folder concerned and what went wrong.
///
/// Files that exist but cannot be used are not errors (dev state is regenerated, see
/// ``DevCertificateAuthority``); these are the failures left over, such as a state folder that
/// cannot be created or a file that cannot be written. Messages never contain key material.
public struct DevCertificateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The path of the file or folder concerned.
    public var path: String
    /// What is wrong with it, for a person to act on.
    public var problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
