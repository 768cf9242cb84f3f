import Foundation
import Yams

/// Strict readings of YAML values: an integer is a plain decimal scalar, never a quoted
/// string, a float, YAML 1.1's octal, hex or sexagesimal forms, or null.
package extension Node {
    /// The largest number any key accepts, so that times in nanoseconds and counts derived
    /// from configured values cannot overflow.
    static let largestInteger = Int(Int32.max)

    /// The value as an integer from `minimum` to `largestInteger`, or the error naming `key`
    /// and what is allowed.
    func integer(atLeast minimum: Int, key: String, meaning: String) throws(ConfigurationProblem) -> Int {
        if let number = strictInteger, number > Self.largestInteger {
            throw ConfigurationProblem(key: key, message: "must be at most \(Self.largestInteger) (\(meaning)); got \(shown)")
        }
        guard let number = strictInteger, number >= minimum else {
            var message = "must be an integer ≥ \(minimum) (\(meaning)); got \(shown)"
            if case .scalar(let scalar) = self, scalar.style != .plain, Int(scalar.string) != nil {
                message += " (a string: write numbers without quotes)"
            }
            throw ConfigurationProblem(key: key, message: message)
        }
        return number
    }

    var strictInteger: Int? {
        guard let text = plainString, tagName == .int else { return nil }
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits == "0" || !digits.hasPrefix("0") else {
            return nil
        }
        // Digits too many for Int are still an integer, just out of range.
        return Int(text) ?? (text.hasPrefix("-") ? Int.min : Int.max)
    }

    /// The text of a plain (unquoted, untagged-as-string) scalar.
    var plainString: String? {
        guard case .scalar(let scalar) = self, scalar.style == .plain || scalar.style == .any else { return nil }
        return scalar.string
    }

    /// The text of a non-empty string scalar: quoted, or plain text YAML does not read as a
    /// number, bool or null. Nil for anything else.
    var nonEmptyString: String? {
        guard case .scalar(let scalar) = self, !scalar.string.isEmpty, plainString == nil || tagName == .str else { return nil }
        return scalar.string
    }

    /// The resolved tag (`!!int`, `!!str`, …) of the node.
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }

    var isNull: Bool { plainString != nil && tagName == .null }

    /// The value as a message shows it: numbers, booleans and null bare, strings in quotes,
    /// collections by kind.
    var shown: String {
        switch self {
        case .scalar(let scalar):
            if plainString != nil {
                if scalar.string.isEmpty { return "nothing" }
                if [.int, .float, .bool, .null].contains(tagName) { return scalar.string }
            }
            return "\"\(scalar.string.replacingOccurrences(of: "\"", with: "\\\""))\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

/// YAML syntax errors as configuration errors that name the file and line.
package enum YAMLSyntax {
    package static func error(_ error: any Error, yaml: String, file: String) -> ConfigurationError {
        guard let error = error as? YamlError else {
            return ConfigurationError(file: file, key: nil, message: "is not valid YAML: \(error)")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let during = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return ConfigurationError(
                file: file, key: nil, message: "line \(mark.line), column \(mark.column): invalid YAML: \(problem)\(during)")
        case .reader(let problem, let offset, _, _):
            let line = offset.map { yaml.prefix($0).filter(\.isNewline).count + 1 }
            return ConfigurationError(
                file: file, key: nil, message: (line.map { "line \($0): " } ?? "") + "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, _):
            return ConfigurationError(
                file: file, key: duplicates.first,
                message: "is given more than once; give each key once")
        default:
            return ConfigurationError(file: file, key: nil, message: "is not valid YAML: \(error)")
        }
    }
}
