import ArgumentParser
import Foundation
import TagwayEventLog
import TagwayRuntime

/// `tagway status`: what a running gateway last wrote to `<dataDir>/status.json` (on every change,
/// at most every 2 s): readers, the event log (events held because it refused them, the last
/// write error, reads dropped), and per sink its backlog, last success, last error and counters.
/// An idle gateway leaves the file alone, so its age alone says nothing; a file older than 30 s
/// whose last seq the log has moved past is called stale: status itself is failing.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show a running gateway's readers and sinks.")

    @Option(help: "The gateway's data directory (gateway.dataDir in its configuration).")
    var dataDir: String

    @Flag(help: "Print the status file as it is (JSON).")
    var json = false

    /// Whether the event log holds events after the status file's `lastSeq`; true when the log
    /// cannot be read (the file's age then decides alone, as it did when the file was rewritten
    /// on a clock).
    static func logMovedPast(_ lastSeq: Int?, dataDir: String) -> Bool {
        guard let lastSeq, let log = try? EventLog.openExisting(directory: dataDir), let seq = try? log.lastSeq() else { return true }
        return seq > Int64(lastSeq)
    }

    func run() throws {
        let path = (dataDir as NSString).appendingPathComponent("status.json")
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("\(Self.missing(path))\n".utf8))
            throw ExitCode(2)
        }
        if json {
            print(String(decoding: data, as: UTF8.self), terminator: "")
            return
        }
        guard let status = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            FileHandle.standardError.write(Data("\(path): not a status file\n".utf8))
            throw ExitCode(2)
        }
        let pid = (status["pid"] as? Int).map(Int32.init) ?? 0
        let running = pid > 0 && kill(pid, 0) == 0
        print("gateway \(status["gateway"] ?? "?")  \(running ? "running (pid \(pid))" : "NOT RUNNING")  status at \(status["time"] ?? "?")  last seq \(status["lastSeq"] ?? 0)")
        if running, let age = Self.age(of: path), age > 30, Self.logMovedPast(status["lastSeq"] as? Int, dataDir: dataDir) {
            print("  STALE: status.json has not been rewritten for \(age) s; see the gateway's log for why")
        }
        if let log = status["log"] as? [String: Any] { Self.printLog(log) }
        for reader in status["readers"] as? [[String: Any]] ?? [] {
            let connected = reader["connected"] as? Bool == true
            var line = "  reader \(reader["reader"] ?? "?")  \(connected ? "connected" : "DISCONNECTED")  \(reader["path"] ?? "")  frames \(reader["frames"] ?? 0)"
            if let dropped = reader["droppedReads"] as? Int, dropped > 0 { line += "  DROPPED READS \(dropped)" }
            if let dropped = reader["captureDropped"] as? Int, dropped > 0 { line += "  CAPTURE DROPPED \(dropped)" }
            if let error = reader["lastError"] { line += "  last error: \(error)" }
            print(line)
            if let details = reader["details"] as? [String: Any], let text = Self.details(details) { print("    \(text)") }
            if let filtered = reader["filtered"] as? [String: Int] {
                let drops = filtered.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                print("    filtered: \(drops.isEmpty ? "none" : drops.joined(separator: ", "))  reference reads \(reader["referenceReads"] ?? 0)")
            }
            for warning in reader["warnings"] as? [String] ?? [] { print("    WARNING: \(warning)") }
        }
        for sink in status["sinks"] as? [[String: Any]] ?? [] {
            var line = "  sink \(sink["id"] ?? "?") (\(sink["kind"] ?? "?"))  \(sink["state"] ?? "?")  backlog \(sink["backlog"] ?? 0)"
            line += "  delivered \(sink["delivered"] ?? 0) retried \(sink["retried"] ?? 0) failed \(sink["failed"] ?? 0)"
            line += "  last success \(sink["lastSuccess"] ?? "never")"
            if let error = sink["lastError"] { line += "  last error: \(error) at \(sink["lastErrorTime"] ?? "?")" }
            if let next = sink["nextAttempt"] { line += "  next attempt \(next)" }
            print(line)
            if let details = sink["details"] as? [String: Any] {
                for text in Self.sinkDetails(details) { print("    \(text)") }
            }
        }
        if let retention = status["retention"] as? [String: Any] {
            if let note = retention["overBound"] { print("  retention: \(note)") }
            if let dropped = retention["dropped"] as? Int, dropped > 0 { print("  retention: \(dropped) events dropped before delivery") }
        }
    }

    /// A sink's own findings (Snipe-IT: its pacing, tags it does not know, unmapped zones).
    static func sinkDetails(_ details: [String: Any]) -> [String] {
        var lines: [String] = []
        if let pacing = details["pacing"] as? [String: Any] {
            var line = "paced at \(pacing["requestsPerMinute"] ?? "?")/min: \(pacing["requests"] ?? 0) requests, waited \(pacing["waitedSeconds"] ?? 0) s"
            if let pending = pacing["pendingAudits"] as? Int, pending > 0 { line += ", \(pending) audits of this batch to send" }
            if let next = pacing["nextRequest"] { line += ", next at \(next)" }
            if let held = pacing["heldByStoreUntil"] { line += ", HELD BY THE STORE until \(held)" }
            lines.append(line)
        }
        let unknown = details["unknownAssets"] as? [[String: Any]] ?? []
        if !unknown.isEmpty {
            let tags = unknown.prefix(10).compactMap { $0["assetTag"] as? String }.joined(separator: ", ")
            lines.append("\(unknown.count) tags the store does not know: \(tags)\(unknown.count > 10 ? ", …" : "")")
        }
        if let zones = details["unmappedZones"] as? [String: Any], !zones.isEmpty {
            let list = zones.keys.sorted().map { "\($0) (\(zones[$0] ?? 0))" }.joined(separator: ", ")
            lines.append("moves into zones with no location (skipped): \(list)")
        }
        if let refused = details["refused"] as? Int, refused > 0 {
            lines.append("\(refused) audits refused; last: \(details["lastRefusal"] ?? "?")")
        }
        return lines
    }

    /// The event log's part: silent while writes succeed.
    static func printLog(_ log: [String: Any]) {
        if let fatal = log["fatal"] { print("  EVENT LOG LOST: \(fatal)") }
        let held = log["heldEvents"] as? Int ?? 0
        if held > 0 || log["failingSince"] != nil {
            var line = "  EVENT LOG NOT WRITABLE: \(held) events held in memory"
            if let since = log["failingSince"] { line += " since \(since)" }
            if let error = log["lastError"] { line += "  last error: \(error) at \(log["lastErrorTime"] ?? "?")" }
            print(line)
        }
        if let dropped = log["droppedReads"] as? Int, dropped > 0 {
            print("  \(dropped) reads dropped since start because the log took no events (back-pressure)")
        }
    }

    /// What a network reader said about itself, on one line: model and firmware, its antennas,
    /// when it was last heard from, its clock, its report rate.
    static func details(_ details: [String: Any]) -> String? {
        var parts: [String] = []
        let model = [details["model"], details["firmware"].map { "firmware \($0)" }].compactMap { $0.map { "\($0)" } }
        if !model.isEmpty { parts.append(model.joined(separator: ", ")) }
        if let connected = details["antennasConnected"] as? [Int] {
            let ports = (details["antennaPorts"] as? Int).map { " of \($0)" } ?? ""
            parts.append("antennas connected: \(connected.isEmpty ? "none" : connected.map(String.init).joined(separator: ","))\(ports)")
        } else if let ports = details["antennaPorts"] as? Int {
            parts.append("\(ports) antenna ports")
        }
        if let age = details["keepaliveAgeSeconds"] { parts.append("heard from \(age) s ago") }
        if let skew = details["clockSkewMs"] as? Int {
            let used = (details["readerClockUsed"] as? Bool).map { $0 ? " (its timestamps used)" : " (TOO FAR OFF: gateway clock used)" } ?? ""
            parts.append("clock \(skew >= 0 ? "+" : "")\(skew) ms\(used)")
        }
        if let rate = details["reportsPerSecond"] { parts.append("\(rate) reports/s") }
        return parts.isEmpty ? nil : parts.joined(separator: "  ")
    }

    /// Seconds since the file `path` names (through its link) was last modified.
    static func age(of path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let now = SystemClock.now()
        return Int((Double(now.milliseconds) / 1000 - Double(info.st_mtim.tv_sec)).rounded(.down))
    }

    /// Why there is nothing to show at `path`: no file, or a link into a runtime directory that
    /// is gone or empty (emptied at boot: no gateway has run with this data directory since).
    static func missing(_ path: String) -> String {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else {
            return "\(path): no status file; is a gateway running with this data directory?"
        }
        return "\(path): links to \(target), which does not exist: no gateway has run with this data directory since its runtime directory was emptied (at boot, or by systemd at a stop without RuntimeDirectoryPreserve=)"
    }
}
