import Foundation

/// Finds the `devices/` profile directory when neither the command line nor the config names one:
/// `$TAGWAY_DEVICES`, then a `devices/` beside or above the executable (a source checkout, where
/// the binary is in `.build/<config>/`), then `share/tagway/devices` of the prefix the executable
/// was installed under (`make install PREFIX=…`, also into a DESTDIR), then the usual locations.
public enum DevicesDirectory {
    public static func locate() -> String {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["TAGWAY_DEVICES"], !env.isEmpty { return env }
        let executable = runningExecutable()
        var dir = executable.deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("devices")
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate.path, isDirectory: &isDir), isDir.boolValue,
               fm.fileExists(atPath: dir.appendingPathComponent("udev-rules").path) || fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                return candidate.path
            }
            dir.deleteLastPathComponent()
        }
        if let installed = installedBeside(executable: executable), isProfileFolder(installed) { return installed }
        for candidate in ["/etc/tagway/devices", "/usr/local/share/tagway/devices", "/usr/share/tagway/devices"]
        where fm.fileExists(atPath: candidate) {
            return candidate
        }
        let cwd = (fm.currentDirectoryPath as NSString).appendingPathComponent("devices")
        return cwd
    }

    /// The running executable's real path: /proc/self/exe (argv[0] is a bare `tagway` when it was
    /// found through PATH, as systemd's ExecStart and a shell both may run it), else argv[0].
    private static func runningExecutable() -> URL {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
    }

    /// `PREFIX/share/tagway/devices` for an executable installed as `PREFIX/bin/tagway`, or nil
    /// when the executable is not in a `bin` folder.
    public static func installedBeside(executable: URL) -> String? {
        let bin = executable.deletingLastPathComponent()
        guard bin.lastPathComponent == "bin" else { return nil }
        return bin.deletingLastPathComponent().appendingPathComponent("share/tagway/devices").path
    }

    private static func isProfileFolder(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Where `locate` looks, in order, for the error when it finds nothing.
    public static let searched = ["$TAGWAY_DEVICES", "devices/ beside the tagway executable", "PREFIX/share/tagway/devices beside PREFIX/bin/tagway", "/etc/tagway/devices",
                                  "/usr/local/share/tagway/devices", "/usr/share/tagway/devices", "./devices"]

    /// What makes `path` unusable as a profile folder ("does not exist", "is not a folder",
    /// "holds no device profiles"), or nil. A gateway without profiles would start with no
    /// readers and no error, so this is checked before profiles are loaded.
    public static func problem(_ path: String) -> String? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return "does not exist" }
        guard isDir.boolValue else { return "is not a folder" }
        guard let walker = FileManager.default.enumerator(atPath: path) else { return "cannot be read" }
        for case let name as String in walker where name.hasSuffix(".yaml") || name.hasSuffix(".yml") { return nil }
        return "holds no device profiles (*.yaml)"
    }
}
