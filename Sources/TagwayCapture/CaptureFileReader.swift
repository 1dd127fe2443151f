#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TagwayModel

/// Reads a capture file record by record, in chunks: a capture of a busy reader over a day is
/// hundreds of megabytes, and replaying it must not need them all in memory. Memory stays within
/// one chunk plus the longest line a record can be (`CaptureParser.maxLineLength`); the parser
/// refuses anything longer with its line number.
///
/// A class, because it owns the open file descriptor (closed when the reader goes).
public final class CaptureFileReader {
    public let path: String
    /// The file's size when it was opened, in bytes.
    public let size: Int
    /// Complete once the first record has been read (`header()` reads up to it).
    public var header: CaptureHeader? { parser.header }
    private var parser: CaptureParser
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var ended = false
    /// A record read by `header()` ahead of the caller's first `next()`.
    private var peeked: CaptureRecord?
    private var chunk: [UInt8]

    public init(path: String, chunkSize: Int = 1 << 16) throws(CaptureError) {
        self.path = path
        chunk = [UInt8](repeating: 0, count: max(1, chunkSize))
        parser = CaptureParser(file: path)
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else {
            throw CaptureError(file: path, line: 0, message: "cannot open it: \(String(cString: strerror(errno)))",
                               expected: "a readable capture file")
        }
        var info = stat()
        // A directory, a fifo or a device would block or read forever: only a regular file is a capture.
        guard fstat(opened, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(opened)
            throw CaptureError(file: path, line: 0, message: "not a regular file", expected: "a capture file (.tcap)")
        }
        descriptor = opened
        size = Int(info.st_size)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// The header, reading up to the first record (which `next()` then returns first).
    public func readHeader() throws(CaptureError) -> CaptureHeader {
        if let header = parser.header { return header }
        if peeked == nil { peeked = try readRecord() }
        if let header = parser.header { return header }
        return try parser.finish()
    }

    /// The next record in file order; nil at the end of the file.
    public func next() throws(CaptureError) -> CaptureRecord? {
        if let record = peeked {
            peeked = nil
            return record
        }
        return try readRecord()
    }

    private func readRecord() throws(CaptureError) -> CaptureRecord? {
        while true {
            while let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[start..<newline]
                start = newline + 1
                if let record = try parser.feed(line) { return record }
            }
            if ended {
                guard start < buffer.count else { return nil }
                // The last line had no newline.
                let line = buffer[start...]
                start = buffer.count
                return try parser.feed(line)
            }
            if buffer.count - start > CaptureParser.maxLineLength {
                // Longer than any record: the parser says so with the line number.
                return try parser.feed(buffer[start...])
            }
            try fill()
        }
    }

    /// Moves the unread tail to the front and appends one chunk of the file (read into a
    /// buffer made once, then copied: the line buffer never holds bytes that were not read).
    private func fill() throws(CaptureError) {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        var count = 0
        repeat {
            count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        } while count < 0 && errno == EINTR
        guard count >= 0 else {
            throw CaptureError(file: path, line: 0, message: "cannot read it: \(String(cString: strerror(errno)))",
                               expected: "a readable capture file")
        }
        buffer.append(contentsOf: chunk[..<count])
        if count == 0 { ended = true }
    }

    /// FNV-1a (64 bits) of the whole file's bytes, read in chunks: what `tagway replay` seeds its
    /// event ids with, so two runs on the same captures name their events alike.
    public static func contentDigest(path: String, into digest: inout UInt64) throws(CaptureError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CaptureError(file: path, line: 0, message: "cannot open it: \(String(cString: strerror(errno)))",
                               expected: "a readable capture file")
        }
        defer { close(descriptor) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else {
                throw CaptureError(file: path, line: 0, message: "cannot read it: \(String(cString: strerror(errno)))",
                                   expected: "a readable capture file")
            }
            if count == 0 { return }
            fnv1a(chunk[..<count], into: &digest)
        }
    }

    /// FNV-1a's offset basis: where a digest starts.
    public static let digestBasis: UInt64 = 0xCBF2_9CE4_8422_2325

    public static func fnv1a(_ bytes: some Sequence<UInt8>, into digest: inout UInt64) {
        for byte in bytes {
            digest ^= UInt64(byte)
            digest &*= 0x0000_0100_0000_01B3
        }
    }
}
