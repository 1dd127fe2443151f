/// Reads a whole capture file into memory, refusing one larger than `maxBytes` before reading it
/// (a capture is at most its recorder's file size; a path to something else must not eat memory).
/// `simulate --replay` needs every record up front to schedule them; `tagway replay` streams
/// through `CaptureFileReader` instead, which this is built on.
public enum CaptureFile {
    public static let maxBytes = 1 << 32

    public static func read(_ path: String, maxBytes: Int = CaptureFile.maxBytes) throws(CaptureError) -> Capture {
        let reader = try CaptureFileReader(path: path)
        guard reader.size <= maxBytes else {
            throw CaptureError(file: path, line: 0, message: "the file is \(reader.size) bytes", expected: "at most \(maxBytes) bytes")
        }
        var records: [CaptureRecord] = []
        while let record = try reader.next() { records.append(record) }
        return Capture(header: try reader.readHeader(), records: records)
    }
}
