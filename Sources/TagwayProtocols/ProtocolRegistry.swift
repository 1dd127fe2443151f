/// Every protocol Tagway speaks, on every transport, in one table (gpsd's `drivers.c`). A new
/// reader protocol is its decoder, one descriptor file and one line here; a new reader model
/// speaking a known protocol is one profile in `devices/`.
public enum ProtocolRegistry {
    public static let all: [ProtocolDescriptor] = [
        EM4100Protocol.descriptor,
        BarcodeSerialProtocol.descriptor,
        M100Protocol.descriptor,
        PN532Protocol.descriptor,
        MercuryProtocol.descriptor,
        HIDKeyboardProtocol.descriptor,
        HIDPOSProtocol.descriptor,
        LLRPProtocol.descriptor,
    ]

    public static func descriptor(for id: String) -> ProtocolDescriptor? {
        all.first { $0.id == id }
    }

    /// The protocols a transport carries, for "unknown protocol" messages.
    public static func ids(on transport: ProtocolTransport) -> [String] {
        all.filter { $0.transport == transport }.map(\.id)
    }
}
