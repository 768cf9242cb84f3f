/// Why a model's config.yaml (or the repository itself) cannot be used: the file, the key at
/// fault when there is one, and what is allowed. Its description reads
/// `FILE: 'key' must be …; got …`, or `FILE: message` when no single key is at fault.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path of the file (or directory) at fault.
    public let file: String
    /// The configuration key at fault (`version_policy.latest` for a nested one), if any.
    public let key: String?
    /// What is wrong and what is allowed, without the file and key.
    public let message: String

    public init(file: String, key: String?, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String {
        if let key { "\(file): '\(key)' \(message)" } else { "\(file): \(message)" }
    }
}

/// A bad key or value found while reading a configuration, before the file name is attached.
package struct ConfigurationProblem: Error {
    package var key: String?
    package var message: String

    package init(key: String?, message: String) {
        self.key = key
        self.message = message
    }

    package func inFile(_ file: String) -> ConfigurationError {
        ConfigurationError(file: file, key: key, message: message)
    }
}
