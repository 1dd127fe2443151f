import Foundation

/// Finds the `devices/` profile directory when neither the command line nor the config names one:
/// `$TAGWAY_DEVICES`, then a `devices/` beside or above the executable (a source checkout, where
/// the binary is in `.build/<config>/`), then the installed locations.
public enum DevicesDirectory {
    public static func locate() -> String {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["TAGWAY_DEVICES"], !env.isEmpty { return env }
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("devices")
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate.path, isDirectory: &isDir), isDir.boolValue,
               fm.fileExists(atPath: dir.appendingPathComponent("udev-rules").path) || fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                return candidate.path
            }
            dir.deleteLastPathComponent()
        }
        for candidate in ["/etc/tagway/devices", "/usr/local/share/tagway/devices", "/usr/share/tagway/devices"]
        where fm.fileExists(atPath: candidate) {
            return candidate
        }
        let cwd = (fm.currentDirectoryPath as NSString).appendingPathComponent("devices")
        return cwd
    }
}
