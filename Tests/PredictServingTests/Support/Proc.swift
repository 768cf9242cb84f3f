import Glibc

/// The kernel's own account of threads, read from /proc.
enum Proc {
    static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 { return nil }
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `Cpus_allowed_list` of a status file.
    static func cpusAllowed(_ statusPath: String) -> [Int]? {
        guard let status = read(statusPath) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("Cpus_allowed_list:") {
            return parseCPUList(String(line.dropFirst("Cpus_allowed_list:".count).filter { !$0.isWhitespace }))
        }
        return nil
    }

    /// "0-1,3" → [0, 1, 3].
    static func parseCPUList(_ text: String) -> [Int]? {
        var cpus: [Int] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-").map { Int($0) }
            switch bounds.count {
            case 1: guard let cpu = bounds[0] else { return nil }; cpus.append(cpu)
            case 2: guard let low = bounds[0], let high = bounds[1], low <= high else { return nil }; cpus += low...high
            default: return nil
            }
        }
        return cpus
    }

    /// The calling thread's kernel id, from the /proc/thread-self link ("<pid>/task/<tid>").
    static func currentThreadID() -> Int32 {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/thread-self", &buffer, buffer.count - 1)
        guard count > 0 else { return 0 }
        let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return Int32(target.split(separator: "/").last ?? "") ?? 0
    }
}
