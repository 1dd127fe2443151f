#if canImport(Glibc)
import Glibc
#endif

/// Reads a capture file from disk, refusing one larger than `maxBytes` before reading it (a
/// capture is at most its recorder's file size; a path to something else must not eat memory).
public enum CaptureFile {
    public static let maxBytes = 1 << 32

    public static func read(_ path: String, maxBytes: Int = CaptureFile.maxBytes) throws(CaptureError) -> Capture {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw CaptureError(file: path, line: 0, message: "cannot open: \(String(cString: strerror(errno)))", expected: "a readable capture file")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw CaptureError(file: path, line: 0, message: "not a regular file", expected: "a capture file (.tcap)")
        }
        guard Int(info.st_size) <= maxBytes else {
            throw CaptureError(file: path, line: 0, message: "the file is \(info.st_size) bytes", expected: "at most \(maxBytes) bytes")
        }
        var contents = [UInt8](repeating: 0, count: Int(info.st_size))
        var offset = 0
        while offset < contents.count {
            let n = contents.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Glibc.read(fd, base.advanced(by: offset), raw.count - offset)
            }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            offset += n
        }
        return try CaptureParser.parse(Array(contents[0..<offset]), file: path)
    }
}
