#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Creates the data directory and the log file with fixed modes, whatever the process umask:
/// movement events say who carried what where, so they are not for every local user.
///
/// The mode is set with `chmod`/`fchmod` after creation rather than by changing the umask, which
/// is process-wide and would race every other thread creating files.
public enum DataDirectory {
    public static let directoryMode: mode_t = 0o750
    public static let fileMode: mode_t = 0o640

    /// `mkdir -p`, each directory it creates set to 0750; existing directories are left alone.
    public static func create(_ directory: String) throws(EventLogError) {
        var created: [String] = []
        var current = directory
        while !current.isEmpty, current != "/", !FileManager.default.fileExists(atPath: current) {
            created.append(current)
            current = (current as NSString).deletingLastPathComponent
        }
        for dir in created.reversed() {
            if mkdir(dir, directoryMode) != 0 && errno != EEXIST {
                throw .notWritable(path: dir, message: "cannot create directory: \(String(cString: strerror(errno)))")
            }
            _ = chmod(dir, directoryMode)
        }
    }

    /// Creates `path` empty with mode 0640 if it does not exist (SQLite then gives its -wal and
    /// -shm files the same mode), and takes group write and all world access away from an
    /// existing log and its -wal/-shm (logs written before this version followed the umask).
    static func prepareLogFile(_ path: String) throws(EventLogError) {
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, fileMode)
        if fd >= 0 {
            _ = fchmod(fd, fileMode)
            _ = close(fd)
        } else if errno != EEXIST {
            let err = errno
            if err == EROFS || err == EACCES || err == EPERM {
                throw .notWritable(path: path, message: String(cString: strerror(err)))
            }
            throw .unavailable(path: path, message: "cannot create: \(String(cString: strerror(err)))")
        }
        for file in [path, path + "-wal", path + "-shm"] { restrict(file) }
    }

    /// Clears group-write and world bits of an existing file; a missing file is fine.
    static func restrict(_ file: String) {
        var info = stat()
        guard stat(file, &info) == 0 else { return }
        let mode = info.st_mode & 0o777
        if mode & 0o027 != 0 { _ = chmod(file, mode & ~0o027) }
    }
}
