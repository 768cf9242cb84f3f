import Foundation

/// A one-line progress bar on stderr, redrawn in place; only when stderr is a terminal, so
/// logs and pipes stay clean.
final class ProgressBar {
    private let total: Int
    private var done = 0
    private let width = 30

    /// Nil when stderr is not a terminal.
    init?(total: Int) {
        guard isatty(STDERR_FILENO) != 0, total > 0 else { return nil }
        self.total = total
        draw()
    }

    func advance(by rows: Int) {
        done = min(total, done + rows)
        draw()
    }

    /// Ends the line so the shell prompt starts on a fresh one.
    func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }

    private func draw() {
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let percent = total == 0 ? 100 : done * 100 / total
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) rows \(percent)%".utf8))
    }
}
