import TagwayDecoders

extension ProtocolDescriptor {
    /// The serial driver, for the callers that only read byte streams (the serial reader session,
    /// the benchmarks); nil for protocols on other transports.
    public var serial: SerialDriver? { driver.serial }
    /// The HID driver, for the USB reader session; nil for protocols on other transports.
    public var hid: HIDReportDriver? { driver.hid }
    /// The conversation driver, for the TCP reader session; nil for protocols on other transports.
    public var conversation: ConversationDriver? { driver.conversation }
}
