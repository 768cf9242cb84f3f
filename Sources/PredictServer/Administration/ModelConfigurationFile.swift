import Foundation
import PredictServing
import Yams

/// A model's config.yaml as the administration calls change it: the routing keys and the
/// version policy are rewritten, every other key is kept. Comments are not kept (the file is
/// written back from its parsed form); docs/REPOSITORY.md says so.
struct ModelConfigurationFile {
    let url: URL
    /// The file's text as read ("" when there is none), to restore it if a change fails.
    let original: String

    init(model directory: URL) {
        url = directory.appendingPathComponent("config.yaml")
        original = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    /// The configuration the file holds now.
    func read() throws(ServingError) -> ModelConfiguration {
        do {
            return try ModelConfiguration.parse(original, file: url.path)
        } catch {
            throw ServingError(.invalidArgument, "the model's configuration is broken, fix it by hand first: \(error)")
        }
    }

    /// Writes `configuration`'s routing and version policy over the file's, keeping its other
    /// keys, in one rename.
    func write(routing: RoutingPolicy, versionPolicy: VersionPolicy) throws(ServingError) {
        var lines: [String] = []
        do {
            if case .mapping(let mapping)? = try Yams.compose(yaml: original) {
                var kept = Node.Mapping([])
                for (key, value) in mapping where !Self.rewritten.contains(key.string ?? "") {
                    kept[key] = value
                }
                if !kept.isEmpty { lines.append(try Yams.serialize(node: .mapping(kept)).trimmingCharacters(in: .newlines)) }
            }
        } catch {
            throw ServingError(.invalidArgument, "cannot rewrite \(url.path): \(error)")
        }
        lines.append("version_policy: \(versionPolicy)")
        if let traffic = routing.traffic {
            lines.append("traffic:")
            lines += traffic.map { "  - {version: \($0.version), percent: \($0.percent)}" }
        }
        if !routing.tags.isEmpty {
            lines.append("tags:")
            lines += routing.tags.sorted { $0.key < $1.key }.map { "  \($0.key): \($0.value)" }
        }
        if routing.sticky != .none { lines.append("sticky: \(routing.sticky.rawValue)") }
        if let shadow = routing.shadow { lines.append("shadow: {version: \(shadow.version), percent: \(shadow.percent)}") }
        try replace(with: lines.joined(separator: "\n") + "\n")
    }

    /// Puts the file back as it was read.
    func restore() {
        if original.isEmpty {
            try? FileManager.default.removeItem(at: url)
        } else {
            try? replace(with: original)
        }
    }

    private func replace(with text: String) throws(ServingError) {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".config.yaml.\(UUID().uuidString)")
        do {
            try Data(text.utf8).write(to: temporary)
        } catch {
            throw ServingError(.unavailable, "cannot write \(url.path): \(error.localizedDescription)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw ServingError(.unavailable, "cannot replace \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    private static let rewritten: Set<String> = ["traffic", "tags", "sticky", "shadow", "version_policy"]
}
