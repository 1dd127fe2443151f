import TagwayModel

/// When a reader's capture starts a new file and which old files go: pure, so the bound on disk
/// use is tested without a disk. The recorder's file edge executes the steps in order.
///
/// A reader's files are `<reader>-<UTC start>.tcap`; the names sort by time, so the oldest is
/// the first. Files left by an earlier run count against `maxFiles` too: the bound holds across
/// restarts.
public struct CaptureRotation: Sendable {
    public struct Limits: Hashable, Sendable {
        /// A file is closed once the next record would take it past this size (a file holds at
        /// least one record, so a record larger than the limit still has a file of its own).
        public var maxFileBytes: Int
        /// Files kept per reader, the one being written included.
        public var maxFiles: Int

        public init(maxFileBytes: Int, maxFiles: Int) {
            self.maxFileBytes = max(1, maxFileBytes)
            self.maxFiles = max(1, maxFiles)
        }
    }

    public enum Step: Hashable, Sendable {
        /// Start the file `name` (the header first), the one records go to from now on.
        case start(String)
        /// Delete an old file.
        case delete(String)
        /// Append the record to the current file.
        case write
    }

    public let reader: String
    public let limits: Limits
    /// The reader's files, oldest first, the current one last.
    public private(set) var files: [String]
    /// Bytes in the current file; nil while no file is open (at start, after a failed write).
    public private(set) var currentBytes: Int?

    /// `existing`: this reader's files already in the directory (any order).
    public init(reader: String, limits: Limits, existing: [String] = []) {
        self.reader = reader
        self.limits = limits
        files = existing.sorted()
    }

    /// The steps that put a record of `recordBytes` (encoded) in a file; a new file's header
    /// takes `headerBytes`. `time` names a new file.
    public mutating func place(recordBytes: Int, headerBytes: Int, at time: Timestamp) -> [Step] {
        var steps: [Step] = []
        let size = max(0, recordBytes)
        if let current = currentBytes, current > headerBytes {
            let (total, overflow) = current.addingReportingOverflow(size)
            if overflow || total > limits.maxFileBytes { currentBytes = nil }
        }
        if currentBytes == nil {
            let name = uniqueName(Self.fileName(reader: reader, at: time))
            files.append(name)
            steps.append(.start(name))
            while files.count > limits.maxFiles { steps.append(.delete(files.removeFirst())) }
            currentBytes = max(0, headerBytes)
        }
        let (total, overflow) = (currentBytes ?? 0).addingReportingOverflow(size)
        currentBytes = overflow ? Int.max : total
        steps.append(.write)
        return steps
    }

    /// The current file failed (a write or its start): the next record starts a new file, so
    /// a half-written line never continues into the next record.
    public mutating func lost() {
        currentBytes = nil
    }

    /// `door3-uhf-20261202T180000.000Z.tcap`: the reader id made safe for a file name (`/` is `_`),
    /// the UTC time without the separators a shell or another system stumbles on.
    public static func fileName(reader: String, at time: Timestamp) -> String {
        "\(filePrefix(reader: reader))\(time.iso8601.filter { $0 != "-" && $0 != ":" }).\(CaptureFormat.fileExtension)"
    }

    /// What every file of `reader` starts with (the recorder lists the directory by it).
    public static func filePrefix(reader: String) -> String {
        String(reader.map { $0 == "/" || $0 == "\0" ? "_" : $0 }) + "-"
    }

    /// Two files started in one millisecond (a burst of failures) get a suffix instead of one
    /// overwriting the other.
    private func uniqueName(_ name: String) -> String {
        guard files.contains(name) else { return name }
        let stem = String(name.dropLast(CaptureFormat.fileExtension.count + 1))
        var n = 1
        while files.contains("\(stem)-\(n).\(CaptureFormat.fileExtension)") { n += 1 }
        return "\(stem)-\(n).\(CaptureFormat.fileExtension)"
    }
}
