import TagwayEmulators
import TagwayHID

/// A protocol spoken in USB HID input reports. The decoder itself is made when the device is
/// open (a POS scanner's layout comes from its report descriptor), so the driver gives the
/// `HIDDecoding` the reader session needs.
public struct HIDReportDriver: Sendable {
    public let makeDecoding: @Sendable (ProtocolSettings) throws(HIDSettingError) -> HIDDecoding
    public let makeEmulator: @Sendable (ProtocolSettings) -> any HIDReportEmulator

    public init(
        makeDecoding: @escaping @Sendable (ProtocolSettings) throws(HIDSettingError) -> HIDDecoding,
        makeEmulator: @escaping @Sendable (ProtocolSettings) -> any HIDReportEmulator
    ) {
        self.makeDecoding = makeDecoding
        self.makeEmulator = makeEmulator
    }
}
