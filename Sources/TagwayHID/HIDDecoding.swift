import TagwayModel

/// How a reader's reports become scans. Chosen by the reader's protocol descriptor; the report
/// descriptor the device presents decides the rest (a POS scanner's layout), so the decoder is
/// made only once the device is open.
public enum HIDDecoding: Hashable, Sendable {
    /// A keyboard-wedge reader (profile protocol `hid-keyboard`).
    case keyboard(KeyboardWedgeConfiguration)
    /// A HID POS scanner (`hid-pos`); the report layout comes from its report descriptor.
    case pointOfSale
    /// Whichever the report descriptor says, reading keyboards with this configuration.
    case automatic(KeyboardWedgeConfiguration)

    /// The decoder for a device whose report descriptor says it is `kind`; nil when the device is
    /// not what the decoding expects (a keyboard where a POS scanner was configured).
    public func decoder(for kind: HIDReaderKind) -> HIDReportDecoder? {
        switch (self, kind) {
        case (.pointOfSale, .pointOfSaleScanner(let layout)), (.automatic, .pointOfSaleScanner(let layout)):
            return .pointOfSale(HIDPOSDecoder(layout: layout))
        case (.keyboard(let keyboard), .keyboard), (.keyboard(let keyboard), .other),
             (.automatic(let keyboard), .keyboard), (.automatic(let keyboard), .other):
            return .keyboard(KeyboardWedgeDecoder(configuration: keyboard))
        default:
            return nil
        }
    }
}
