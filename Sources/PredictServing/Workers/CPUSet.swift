import CThreadAffinity
import Glibc

/// The CPUs this process may run on, where workers are placed.
public enum CPUSet {
    /// The CPUs this process may run on, ascending: its affinity mask (`sched_getaffinity`), so
    /// `taskset` and container cpusets are respected. The same answer from any thread, pinned
    /// or not. A CPU quota (cgroup `cpu.max`) without a cpuset is not visible here.
    public static func allowed() throws(ServingError) -> [Int] {
        var capacity = 256
        while true {
            var cpus = [Int32](repeating: 0, count: capacity)
            let count = Int(predict_allowed_cpus(&cpus, Int32(capacity)))
            if count < 0 {
                throw ServingError(
                    .unavailable,
                    "cannot read the CPUs this process may use (sched_getaffinity): \(errorDescription(-count))"
                )
            }
            if count <= capacity { return cpus[..<count].map(Int.init) }
            capacity = count
        }
    }

    /// `cpus` as the kernel writes CPU lists (`Cpus_allowed_list`, `taskset -c`): ascending,
    /// runs as ranges, e.g. "0-3,6". For messages and logs.
    public static func listDescription(_ cpus: [Int]) -> String {
        let sorted = Array(Set(cpus)).sorted()
        var parts: [String] = []
        var index = 0
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end == index ? "\(sorted[index])" : "\(sorted[index])-\(sorted[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }

    static func errorDescription(_ code: Int) -> String {
        String(cString: strerror(Int32(code)))
    }
}
