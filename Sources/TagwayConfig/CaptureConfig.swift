import Foundation
import Yams

/// `capture:` (or `tagway run --capture DIR`): record what readers send, byte-exact and timed,
/// for support questions and for replaying last Tuesday's traffic (issue 18). The defaults bound
/// the disk a forgotten capture can take: 16 MiB × 8 files per reader.
public struct CaptureConfig: Sendable, Hashable {
    public static let defaultMaxFileBytes = 16 << 20
    public static let defaultMaxFiles = 8
    public static let defaultMaxBufferBytes = 1 << 20
    public static let fileBytesRange = 4_096...(1 << 32)
    public static let filesRange = 1...10_000
    public static let bufferBytesRange = 4_096...(1 << 30)

    /// Absolute; created at start when missing.
    public var dir: String
    public var maxFileBytes = CaptureConfig.defaultMaxFileBytes
    public var maxFiles = CaptureConfig.defaultMaxFiles
    /// Records held in memory per reader while the disk is slow; past it records are dropped
    /// (counted), never the reads.
    public var maxBufferBytes = CaptureConfig.defaultMaxBufferBytes
    /// The readers recorded; nil: all of them.
    public var readers: [String]?
    /// The line of `capture:` (0 when it came from the command line).
    public var line = 0

    public init(dir: String, readers: [String]? = nil) {
        self.dir = dir
        self.readers = readers
    }

    public func records(reader: String) -> Bool {
        readers?.contains(reader) ?? true
    }
}

enum CaptureConfigReader {
    static let keys = ["dir", "maxFileBytes", "maxFiles", "maxBufferBytes", "readers"]

    /// `readerIDs`: the configured readers (nil when some did not parse: names are then not checked).
    static func read(_ value: YAMLValue, readerIDs: [String]?, absolute: (String) -> String) -> CaptureConfig? {
        guard let map = value.mapping(allowed: keys) else { return nil }
        guard let dirNode = map["dir"] else {
            value.error("missing key 'dir'", expected: "capture: { dir: /var/lib/tagway/capture }")
            return nil
        }
        guard let dir = dirNode.string() else { return nil }
        var config = CaptureConfig(dir: absolute(dir))
        config.line = value.line
        if let node = map["maxFileBytes"], let v = size(node, in: CaptureConfig.fileBytesRange) { config.maxFileBytes = v }
        if let node = map["maxFiles"], let v = node.int(in: CaptureConfig.filesRange) { config.maxFiles = v }
        if let node = map["maxBufferBytes"], let v = size(node, in: CaptureConfig.bufferBytesRange) { config.maxBufferBytes = v }
        if let node = map["readers"], let ids = node.identifiers() {
            if let known = readerIDs {
                for id in ids where !known.contains(id) {
                    node.error("'\(id)' is not a configured reader", expected: "reader ids from readers: (\(known.joined(separator: ", ")))")
                }
            }
            config.readers = ids
        }
        return config
    }

    /// A size in bytes: a whole number, or one with a unit (`512KiB`, `16MiB`, `1GiB`; `k`, `M`, `G`
    /// are read as the same powers of 1024), checked against `range` without overflowing.
    static func size(_ node: YAMLValue, in range: ClosedRange<Int>) -> Int? {
        let expected = "a size in bytes such as 16MiB or 1048576, from \(range.lowerBound) to \(range.upperBound)"
        guard case .scalar(let scalar) = node.node else {
            node.error("is \(node.kind)", expected: expected)
            return nil
        }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        let units: [(String, Int)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("k", 1 << 10), ("K", 1 << 10),
                                      ("M", 1 << 20), ("G", 1 << 30), ("B", 1)]
        var number = Substring(text)
        var scale = 1
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            number = text.dropLast(suffix.count)
            scale = factor
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(number) else {
            node.error("'\(scalar.string)' is not a size", expected: expected)
            return nil
        }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: scale)
        guard !overflow, range.contains(bytes) else {
            node.error("'\(scalar.string)' is out of range", expected: expected)
            return nil
        }
        return bytes
    }
}
