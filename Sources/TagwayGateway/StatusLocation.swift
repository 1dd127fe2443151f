import Foundation

/// Where status.json is written. Its rewrite (every 2 s while anything changes) is volatile by
/// nature, worth nothing after a reboot, and on a gateway's SD card it is wear for nothing. So a
/// gateway with a runtime directory (a tmpfs: systemd's `RuntimeDirectory=`, or
/// `gateway.runtimeDir`) writes it there, the way daemons keep their run-time state in /run;
/// `<dataDir>/status.json` becomes a symbolic link to it, so `tagway status --data-dir` and
/// anything reading the old path keep working. (Measured: the move itself does not change the
/// pipeline's read→durable tail; the rewrite's cost there was the writer's wake-ups, see
/// `StatusFileSchedule.Action.sleep`.)
public struct StatusLocation: Sendable, Hashable {
    /// The directory the file is written in (through a temp file beside it).
    public let directory: String
    /// `<dataDir>/status.json` when the file is written elsewhere: the link to make there.
    public let link: String?

    public var path: String { (directory as NSString).appendingPathComponent(StatusFile.fileName) }
    var temporary: String { (directory as NSString).appendingPathComponent(StatusFile.temporaryName) }

    /// `gateway.runtimeDir` when configured, else systemd's `RUNTIME_DIRECTORY` (its first entry:
    /// a unit may name several), else the data directory itself (no link).
    public static func resolve(dataDir: String, configured: String?, environment: [String: String]) -> StatusLocation {
        let fromSystemd = environment["RUNTIME_DIRECTORY"]?.split(separator: ":").first.map(String.init)
        guard let directory = configured ?? fromSystemd, !directory.isEmpty,
              standardized(directory) != standardized(dataDir) else {
            return StatusLocation(directory: dataDir, link: nil)
        }
        return StatusLocation(directory: directory, link: (dataDir as NSString).appendingPathComponent(StatusFile.fileName))
    }

    /// The location that writes in the data directory, as before runtime directories.
    static func inDataDirectory(of link: String) -> StatusLocation {
        StatusLocation(directory: (link as NSString).deletingLastPathComponent, link: nil)
    }

    private static func standardized(_ path: String) -> String { (path as NSString).standardizingPath }
}
