import TagwayDecoders

/// One health counter of a reader, each with one meaning: a monotonic total since the gateway
/// started, only ever increased by the deltas a session machine reports.
///
/// Before these existed, `ReaderHealth.errors` was overwritten with a decoder's totals in one
/// place and incremented in another, so a key's value depended on which code wrote it last.
public enum ReaderCounter: Hashable, Sendable {
    /// Connections opened after the first one.
    case reconnects
    /// Failed opens and lost connections, by the failure's kind.
    case linkFailures(kind: String)
    /// Times the serial port paused reading because the pipeline fell behind (no byte lost).
    case inputPauses
    /// Bytes a byte-stream decoder discarded, by reason.
    case bytesDropped(DropReason)
    /// Discards of a byte-stream decoder (one per dropped run of bytes), by reason.
    case dropEvents(DropReason)
    /// Scans a HID decoder lost or could not read, by problem.
    case scanProblems(ScanProblem)
    /// Problems of a conversation by kind: errors the reader reported (`error-message`,
    /// `rospec-rejected`), messages that could not be read (`malformed-message`), silence
    /// (`keepalive-timeout`).
    case conversationProblems(kind: String)
}

/// The HID decoder counters that mean a scan went missing or was garbled.
public enum ScanProblem: String, Hashable, Sendable, CaseIterable {
    case truncatedScan = "truncated-scan"
    case overlongScan = "overlong-scan"
    case unmappedKey = "unmapped-key"
    case malformedReport = "malformed-report"
    case errorReport = "error-report"
}
