import TagwayModel

/// A stand-in for one USB HID reader's reports, the HID counterpart of `ReaderEmulator`: the
/// report descriptor the device presents and the input reports it sends for one scan.
///
/// Pure, like the serial emulators: whoever plays the reports (a test, the fuzzer's seeds, a
/// umockdev script) owns the timing.
public protocol HIDReportEmulator: Sendable {
    /// The report descriptor the device presents; it decides how the host reads the reports.
    var reportDescriptor: [UInt8] { get }
    /// The input reports for one scan (a card typed by a keyboard-wedge reader is a scan too).
    func reports(for scan: BarcodeScan) -> [[UInt8]]
}
