import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Replaces a configuration file the way a careful editor does, so the gateway (and its file
/// watch) never reads half a file and the previous version is never lost:
///
/// 1. the new text goes to a temporary file in the same directory, with the old file's mode and
///    owner, and is synced;
/// 2. the old file is kept as `<name>.~N~` (a hard link, N the next free number, as GNU
///    `cp --backup=numbered` names them);
/// 3. the temporary file is renamed over the old one, and the directory is synced.
///
/// A step that fails undoes the ones before it: nothing is replaced and no backup is left.
/// A symbolic link is followed: the file it points to is replaced, the link stays.
public struct ConfigFileWriter: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The numbered backups of `path`, oldest first (by number), as file names in its directory.
    public func backups() -> [String] {
        let (directory, name) = Self.split(resolved())
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return entries.compactMap { entry in Self.backupNumber(entry, of: name).map { ($0, entry) } }
            .sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Writes `data` in place of the file; returns the backup's file name (nil when there was no
    /// file to keep).
    @discardableResult
    public func replace(with data: Data) throws(ConfigWriteError) -> String? {
        let target = resolved()
        let (directory, name) = Self.split(target)
        var old = stat()
        let exists = stat(target, &old) == 0
        let mode = exists ? old.st_mode & 0o7777 : 0o640
        let temp = "\(directory)/.\(name).tagway-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw ConfigWriteError(path: directory, operation: "cannot create a file in", errno: errno) }
        var keepTemp = false
        defer { if !keepTemp { unlink(temp) } }
        do {
            defer { close(fd) }
            try Self.writeAll(data, to: fd, path: temp)
            // The mode is set again past the umask; the owner only when we may (root).
            _ = fchmod(fd, mode)
            if exists, geteuid() == 0 { _ = fchown(fd, old.st_uid, old.st_gid) }
            guard fsync(fd) == 0 else { throw ConfigWriteError(path: temp, operation: "cannot sync", errno: errno) }
        }
        var backup: String?
        if exists { backup = try link(target, directory: directory, name: name) }
        guard rename(temp, target) == 0 else {
            let error = ConfigWriteError(path: target, operation: "cannot replace", errno: errno)
            if let backup { unlink("\(directory)/\(backup)") }
            throw error
        }
        keepTemp = true
        Self.syncDirectory(directory)
        return backup
    }

    /// Keeps the current file under the next free backup name.
    private func link(_ target: String, directory: String, name: String) throws(ConfigWriteError) -> String {
        var number = (backups().compactMap { Self.backupNumber($0, of: name) }.max() ?? 0)
        // Another writer may take a number between the listing and the link: try the next ones.
        for _ in 0..<100 {
            number = number < Int.max ? number + 1 : number
            let backup = "\(name).~\(number)~"
            if Glibc.link(target, "\(directory)/\(backup)") == 0 { return backup }
            guard errno == EEXIST else {
                throw ConfigWriteError(path: "\(directory)/\(backup)", operation: "cannot keep the previous version as", errno: errno)
            }
        }
        throw ConfigWriteError(path: "\(directory)/\(name).~\(number)~", operation: "cannot keep the previous version as", errno: EEXIST)
    }

    private static func writeAll(_ data: Data, to fd: Int32, path: String) throws(ConfigWriteError) {
        var failure: Int32 = 0
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)  // force-unwrap-ok: inside `offset < count`: the buffer is not empty
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure != 0 { throw ConfigWriteError(path: path, operation: "cannot write", errno: failure) }
    }

    /// Makes the rename durable; a directory that cannot be synced (some network file systems)
    /// still holds the new file, so this is best effort.
    private static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// The file a symbolic link points to (the link itself is not replaced), else `path`.
    private func resolved() -> String {
        guard let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    static func split(_ path: String) -> (directory: String, name: String) {
        let directory = (path as NSString).deletingLastPathComponent
        return (directory.isEmpty ? "." : directory, (path as NSString).lastPathComponent)
    }

    /// N of `<name>.~N~`, or nil for any other file name.
    static func backupNumber(_ entry: String, of name: String) -> Int? {
        let prefix = "\(name).~"
        guard entry.hasPrefix(prefix), entry.hasSuffix("~"), entry.utf8.count > prefix.utf8.count + 1 else { return nil }
        let digits = entry.dropFirst(prefix.count).dropLast()
        guard digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }
}

/// A configuration file that could not be replaced: which path, what was being done, and the
/// system's reason (`Read-only file system`, `Permission denied`…).
public struct ConfigWriteError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var reason: String

    public init(path: String, operation: String, errno code: Int32) {
        self.path = path
        self.operation = operation
        reason = String(cString: strerror(code))
    }

    public var description: String { "\(operation) \(path): \(reason)" }
}
