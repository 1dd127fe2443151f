#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A tmpfs the test mounts (tests run as root), for storage faults on a real file system: a tiny
/// size to fill up, a read-only remount. Always `unmount()` it in a `defer`.
public final class Tmpfs: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let path: String
    private var filler: String { path + "/.filler" }

    public init(_ label: String, size: String = "2m") throws {
        path = TestPaths.temporaryDirectory("tmpfs-" + label)
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(size),mode=0755") == 0 else {
            throw Failure(description: "mount tmpfs on \(path): \(String(cString: strerror(errno))) (tests must run as root)")
        }
    }

    /// Remounts read-only (true) or read-write (false).
    public func remount(readOnly: Bool) throws {
        let flags = UInt(MS_REMOUNT) | (readOnly ? UInt(MS_RDONLY) : 0)
        // EBUSY while a file is open for writing at that instant (a status write): try again.
        var attempts = 0
        while mount("tmpfs", path, "tmpfs", flags, nil) != 0 {
            attempts += 1
            if errno == EBUSY && attempts < 200 {
                usleep(5_000)
                continue
            }
            throw Failure(description: "remount \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Fills the file system to the last byte with one file (`free()` removes it).
    public func fill() throws {
        let fd = open(filler, O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "open filler: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let block = [UInt8](repeating: 0xA5, count: 4096)
        while true {
            let n = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
        }
        // Whatever is left below one block.
        var byte: UInt8 = 0
        while write(fd, &byte, 1) == 1 {}
    }

    /// Removes the filler: the file system has room again.
    public func free() {
        unlink(filler)
    }

    public func unmount() {
        _ = umount2(path, Int32(MNT_DETACH))
        _ = rmdir(path)
    }
}
