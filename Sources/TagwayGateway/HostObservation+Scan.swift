import Foundation
import Glibc

extension HostObservation {
    /// Where udev reads rules from, most binding first: a file in an earlier directory overrides
    /// (or, empty or linked to /dev/null, masks) one of the same name in a later one.
    static let rulesDirectories = ["/etc/udev/rules.d", "/run/udev/rules.d", "/usr/local/lib/udev/rules.d",
                                   "/usr/lib/udev/rules.d", "/lib/udev/rules.d"]
    static let watchedProcesses: Set<String> = ["brltty", "ModemManager"]

    /// Reads the observation from the machine under `root` (`/`, or a fake tree in tests):
    /// /proc for brltty and ModemManager and the ports they hold, the udev rules directories for
    /// brltty's rules, and /sys/class/tty plus /run/udev/data for each of `ports`
    /// (reader id or nil, device node; ports not present are left out). Called when asked (`tagway devices`, a `/readyz` probe),
    /// never on a timer. Unreadable parts read as absent: this is advice, never a failure.
    public static func scan(root: String = "/", ports: [(reader: String?, node: String)]) -> HostObservation {
        let base = root.hasSuffix("/") ? String(root.dropLast()) : root
        // A port that is not there (a reader unplugged, a link udev has not made) can be neither held nor probed.
        let present = ports.filter { FileManager.default.fileExists(atPath: base + "/sys/class/tty/" + ($0.node as NSString).lastPathComponent) }
        return HostObservation(processes: processes(base), brlttyRules: brlttyRules(base),
                               ports: present.map { Port(reader: $0.reader, node: $0.node, udevProperties: udevProperties(base, node: $0.node)) })
    }

    static func processes(_ base: String) -> [Process] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: base + "/proc") else { return [] }
        var out: [Process] = []
        for entry in entries {
            guard let pid = Int(entry), pid > 0,
                  let comm = read(base + "/proc/\(entry)/comm", limit: 64)?.trimmingCharacters(in: .whitespacesAndNewlines),
                  watchedProcesses.contains(comm)
            else { continue }
            let fdDirectory = base + "/proc/\(entry)/fd"
            let files = (try? FileManager.default.contentsOfDirectory(atPath: fdDirectory))?.compactMap { fd in
                try? FileManager.default.destinationOfSymbolicLink(atPath: fdDirectory + "/" + fd)
            }
            out.append(Process(pid: pid, name: comm, openFiles: files))
        }
        return out.sorted { $0.pid < $1.pid }
    }

    static func brlttyRules(_ base: String) -> [RulesFile] {
        var seen: Set<String> = []
        var out: [RulesFile] = []
        for directory in rulesDirectories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: base + directory)) ?? []
            // The first file of a name is the one in force: a mask in /etc hides brltty's own below.
            for name in names.sorted() where name.hasSuffix(".rules") && name.contains("brltty") && seen.insert(name).inserted {
                let path = directory + "/" + name
                let target = try? FileManager.default.destinationOfSymbolicLink(atPath: base + path)
                let text = target == "/dev/null" ? "" : (read(base + path, limit: 1 << 20) ?? "")
                out.append(RulesFile(path: path, name: name, text: text))
            }
        }
        return out
    }

    /// The E: lines udev recorded for the tty `node` (/run/udev/data/c<major>:<minor>, the
    /// numbers from /sys/class/tty/<name>/dev).
    static func udevProperties(_ base: String, node: String) -> [String: String]? {
        let name = (node as NSString).lastPathComponent
        guard let numbers = read(base + "/sys/class/tty/\(name)/dev", limit: 32)?.trimmingCharacters(in: .whitespacesAndNewlines),
              numbers.contains(":"),
              let data = read(base + "/run/udev/data/c\(numbers)", limit: 1 << 16)
        else { return nil }
        var properties: [String: String] = [:]
        for line in data.split(whereSeparator: \.isNewline) where line.hasPrefix("E:") {
            let pair = line.dropFirst(2)
            guard let equals = pair.firstIndex(of: "=") else { continue }
            properties[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        return properties
    }

    /// At most `limit` bytes of a file (a /proc or rules file cannot make this read unbounded).
    static func read(_ path: String, limit: Int) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: limit) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
