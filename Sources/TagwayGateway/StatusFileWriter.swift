#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TagwayEventLog

/// Why status.json could not be replaced: the call, the errno text, the file.
struct StatusWriteError: Error, CustomStringConvertible {
    let path: String
    let call: String
    let errno: Int32

    var description: String { "\(path): \(call) failed: \(String(cString: strerror(errno)))" }
}

/// Replaces a small file atomically with a temp name of our own, mode 0640 whatever the umask:
/// open, write, rename. A failure removes the temp, so a full disk leaves nothing behind. No
/// fsync: the file is rewritten every 2 s and worth nothing after a power loss, while an fsync
/// every 2 s for years wears an SD card. A reader never sees a half-written file; after a power
/// loss the file may be empty until the next write, 2 s after the start.
enum StatusFileWriter {
    static func replace(_ path: String, via temporary: String, with text: String) throws(StatusWriteError) {
        let fd = open(temporary, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, DataDirectory.fileMode)
        guard fd >= 0 else { throw StatusWriteError(path: temporary, call: "open", errno: errno) }
        var failure: StatusWriteError?
        if fchmod(fd, DataDirectory.fileMode) != 0 { failure = StatusWriteError(path: temporary, call: "fchmod", errno: errno) }
        var bytes = Array(text.utf8)
        var offset = 0
        while failure == nil, offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }  // force-unwrap-ok: inside `offset < count`: the buffer is not empty
            if n > 0 { offset += n } else if n < 0 && errno == EINTR { continue } else {
                failure = StatusWriteError(path: temporary, call: "write", errno: n < 0 ? errno : EIO)
            }
        }
        if close(fd) != 0, failure == nil { failure = StatusWriteError(path: temporary, call: "close", errno: errno) }
        if failure == nil, rename(temporary, path) != 0 { failure = StatusWriteError(path: path, call: "rename", errno: errno) }
        if let failure {
            _ = unlink(temporary)
            throw failure
        }
    }

    /// Removes temps a crash left in `directory`: ours, the old `status.json.tmp`, and
    /// Foundation's `.dat.nosync*` from versions that wrote status.json through it.
    static func removeStaleTemporaries(in directory: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name == StatusFile.temporaryName || name == "status.json.tmp" || name.hasPrefix(".dat.nosync") {
            _ = unlink((directory as NSString).appendingPathComponent(name))
        }
    }
}
