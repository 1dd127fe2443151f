import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Capture files in a directory, written with plain `write(2)`: no fsync (a capture is a witness,
/// not a ledger; losing its last seconds in a power cut is acceptable, slowing the disk the event
/// log syncs on is not).
///
/// `@unchecked Sendable`: `descriptor` and `current` are touched only by the recorder's writer
/// thread (see `CaptureFiles`).
public final class DiskCaptureFiles: CaptureFiles, @unchecked Sendable {
    public let directory: String
    private var descriptor: Int32 = -1
    private var current = ""

    public init(directory: String) {
        self.directory = directory
    }

    deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

    /// Creates the directory (and its parents) when missing; an error says which and why.
    public static func prepare(_ directory: String) throws(CaptureFileError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CaptureFileError(path: directory, call: "mkdir", errno: 0, message: "\(error.localizedDescription)")
        }
        guard access(directory, W_OK) == 0 else { throw Self.failure(directory, "access") }
    }

    public func names(startingWith prefix: String) -> [String] {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return all.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".tcap") }
    }

    public func start(_ name: String) throws(CaptureFileError) {
        close()
        let path = directory + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_APPEND, 0o640)
        guard fd >= 0 else { throw Self.failure(path, "open") }
        descriptor = fd
        current = path
    }

    public func append(_ bytes: [UInt8]) throws(CaptureFileError) {
        guard descriptor >= 0 else { throw CaptureFileError(path: directory, call: "write", errno: EBADF, message: "no file open") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return write(descriptor, base.advanced(by: offset), bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw Self.failure(current, "write")
            }
            offset += written
        }
    }

    public func remove(_ name: String) {
        unlink(directory + "/" + name)
    }

    public func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    private static func failure(_ path: String, _ call: String) -> CaptureFileError {
        let code = errno
        return CaptureFileError(path: path, call: call, errno: code, message: String(cString: strerror(code)))
    }
}
