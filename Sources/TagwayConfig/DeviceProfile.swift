import TagwayProtocols
import TagwaySettings

/// One reader model: how to find it, how to talk to it, which decoder reads it.
///
/// Profiles live in `devices/<vendor>/<model>.yaml` (like gpsd's driver table and NUT's
/// subdriver tables, but as data): adding a reader model that speaks a known protocol is one
/// profile file, and the udev rules are generated from the profiles.
public struct DeviceProfile: Hashable, Sendable {
    public enum Transport: String, Hashable, Sendable, CaseIterable {
        case serial
        case usbHID = "usb-hid"
        /// A fixed reader on the network spoken to over TCP (LLRP): no serial line, no USB identity.
        case llrp

        /// What the transport delivers, which decides the protocols a profile on it may name.
        public var carries: ProtocolTransport {
            switch self {
            case .serial: .serialBytes
            case .usbHID: .hidReports
            case .llrp: .llrpMessages
            }
        }

        /// How "unknown ... protocol" messages name the transport's protocols.
        var protocolKind: String {
            switch self {
            case .serial: "serial"
            case .usbHID: "USB HID"
            case .llrp: "LLRP"
            }
        }
    }

    public var id: String
    public var name: String
    public var transport: Transport
    public var protocolID: String
    /// What the reader reads: `barcode`, `em4100`, `epc-gen2`, `iso14443a`.
    public var technology: String?
    public var usb: USBMatch?
    /// Serial readers: the USB-serial bridges the model ships on (empty: a bare UART, or not known).
    public var bridges: [USBBridge]
    public var serial: SerialSettings?
    public var settings: [String: String]
    public var notes: String?
    /// Where the profile was read from, for error messages.
    public var file: String

    public init(id: String, name: String, transport: Transport, protocolID: String, technology: String? = nil,
                usb: USBMatch? = nil, bridges: [USBBridge] = [], serial: SerialSettings? = nil, settings: [String: String] = [:],
                notes: String? = nil, file: String) {
        self.id = id
        self.name = name
        self.transport = transport
        self.protocolID = protocolID
        self.technology = technology
        self.usb = usb
        self.bridges = bridges
        self.serial = serial
        self.settings = settings
        self.notes = notes
        self.file = file
    }
}

/// How to recognise a USB device: ids, and for shared ids (USB-serial bridges) a product string
/// or serial number.
public struct USBMatch: Hashable, Sendable {
    public var vendorID: UInt16
    public var productID: UInt16
    public var interface: Int?
    public var product: String?
    public var serial: String?

    public init(vendorID: UInt16, productID: UInt16, interface: Int? = nil, product: String? = nil, serial: String? = nil) {
        self.vendorID = vendorID
        self.productID = productID
        self.interface = interface
        self.product = product
        self.serial = serial
    }

    /// Generic USB-serial bridges: their ids say nothing about what is attached, so a profile may
    /// claim one only together with a product string or serial number (gpsd learnt this the hard
    /// way, grabbing every serial adapter on a machine).
    public static let genericBridges: Set<UInt32> = [
        0x0403_6001, 0x0403_6010, 0x0403_6011, 0x0403_6014, 0x0403_6015,  // FTDI
        0x1A86_7523, 0x1A86_5523, 0x1A86_55D4,                              // WCH CH340/CH341/CH9102
        0x10C4_EA60, 0x10C4_EA70,                                           // Silicon Labs CP210x
        0x067B_2303, 0x067B_23A3,                                           // Prolific PL2303, PL2303GC/GS/GT (Linux pl2303 driver)
    ]

    public var isGenericBridge: Bool {
        Self.genericBridges.contains(UInt32(vendorID) << 16 | UInt32(productID))
    }

    /// `05e0:1200`, as lsusb prints it.
    public var idText: String {
        func hex(_ v: UInt16) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: 4 - s.count) + s
        }
        return "\(hex(vendorID)):\(hex(productID))"
    }
}
