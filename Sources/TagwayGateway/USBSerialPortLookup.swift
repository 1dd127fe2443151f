import TagwayConfig
import TagwaySessions
import TagwayUSB

/// Which tty is a serial reader given by USB serial number (`usb: { serial: … }`), among the
/// serial ports udev lists now. Pure: the session hands it an enumeration at each open.
public enum USBSerialPortLookup {
    /// The node of the one matching tty. None attached is a failure the backoff and udev's next
    /// add event retry; several (cheap bridges sharing a serial number such as 0001, or a
    /// multi-port bridge) is refused rather than guessed, with what would settle it.
    public static func node(for match: USBSerialPortMatch, among ports: [UDevDevice]) -> Result<String, SessionFailure> {
        let found = ports.filter { matches(match, $0) }.compactMap(\.devnode).sorted()
        switch found.count {
        case 1:
            return .success(found[0])
        case 0:
            return .failure(SessionFailure(kind: "no-device", description: "no serial port with \(match.description) is attached"))
        default:
            return .failure(SessionFailure(
                kind: "ambiguous-device",
                description: "\(match.description) matches \(found.joined(separator: ", ")); add vendorId/productId or interface to usb:, or give port:"))
        }
    }

    public static func matches(_ match: USBSerialPortMatch, _ device: UDevDevice) -> Bool {
        device.isSerialPort
            && match.matches(serial: device.serial, vendorID: device.vendorID, productID: device.productID, interface: device.interfaceNumber)
    }
}
