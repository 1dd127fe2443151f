/// Counts a HID decoder keeps so a reader's health shows why scans went missing: a scanner
/// set to the wrong keyboard country shows unmapped keys, a flaky cable malformed reports, a
/// scanner without the configured suffix truncated scans.
public struct HIDDecoderStatistics: Hashable, Sendable {
    /// Reports fed to the decoder.
    public var reports = 0
    /// Scans handed up.
    public var scans = 0
    /// Keyboard error reports (ErrorRollOver, POSTFail, ErrorUndefined) ignored.
    public var errorReports = 0
    /// Reports too short or of the wrong size to read.
    public var malformedReports = 0
    /// Reports of a kind the decoder does not read (a HID POS trigger or status report).
    public var ignoredReports = 0
    /// Keys the layout has no character for (arrows, function keys, Escape).
    public var unmappedKeys = 0
    /// Partial scans dropped: no terminator before the inter-key timeout, the reader unplugged
    /// mid-scan, or a HID POS continuation that never finished.
    public var truncatedScans = 0
    /// Scans dropped for growing past the maximum scan length.
    public var overlongScans = 0

    public init() {}
}
