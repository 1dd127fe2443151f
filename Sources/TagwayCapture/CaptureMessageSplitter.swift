import TagwayModel

/// Cuts an LLRP reader's byte stream into whole messages for `llrp` records, by the header's
/// length (bytes 2...5, big-endian, counting the 10-byte header), without decoding them: the
/// capture must hold what the reader sent even when the gateway's decoder refuses it.
///
/// A length that cannot be a message (below the header, above a record's payload) means the
/// stream is not LLRP or lost its framing, which LLRP cannot recover: from then on the bytes are
/// recorded as they come (`rx`), so nothing is lost from the capture.
public struct CaptureMessageSplitter: Sendable {
    public static let headerLength = 10
    private var pending: [UInt8] = []
    public private(set) var broken = false

    public init() {}

    /// The records `bytes` complete, stamped `time` (the time their last bytes arrived).
    public mutating func split(_ bytes: [UInt8], at time: Timestamp) -> [CaptureRecord] {
        if broken { return bytes.isEmpty ? [] : [CaptureRecord(time: time, kind: .rx, payload: bytes)] }
        pending.append(contentsOf: bytes)
        var out: [CaptureRecord] = []
        var start = 0
        while pending.count - start >= 6 {
            let length = Int(pending[start + 2]) << 24 | Int(pending[start + 3]) << 16 | Int(pending[start + 4]) << 8 | Int(pending[start + 5])
            guard length >= Self.headerLength, length <= CaptureRecord.maxPayload else {
                broken = true
                out.append(CaptureRecord(time: time, kind: .rx, payload: Array(pending[start...])))
                pending = []
                return out
            }
            guard pending.count - start >= length else { break }
            out.append(CaptureRecord(time: time, kind: .llrp, payload: Array(pending[start..<start + length])))
            start += length
        }
        pending.removeFirst(start)
        return out
    }

    /// Bytes of a message not yet complete (recorded as `rx` when the connection ends mid-message).
    public mutating func remainder(at time: Timestamp) -> CaptureRecord? {
        guard !pending.isEmpty else { return nil }
        defer { pending = [] }
        return CaptureRecord(time: time, kind: .rx, payload: pending)
    }
}
