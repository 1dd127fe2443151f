import TagwayModel

/// An EM4100 ASCII reader. ID-12LA style readers send a card once per presentation and again
/// only after it left the field; RDM6300 boards repeat it about every 100 ms while it stays.
public struct EM4100Emulator: ReaderEmulator {
    public enum Variant: Sendable { case idInnovations, rdm6300 }

    public var variant: Variant
    private var present: Set<TagID> = []

    public init(variant: Variant) { self.variant = variant }

    public mutating func unsolicited(field: [FieldTag], now: Timestamp) -> [UInt8] {
        var out: [UInt8] = []
        let inField = Set(field.map(\.id))
        for tag in field {
            if variant == .rdm6300 || !present.contains(tag.id) {
                out += Self.frame(tag.id, variant: variant)
            }
        }
        present = inField
        return out
    }

    /// One reader frame for a 5-byte card id.
    public static func frame(_ id: TagID, variant: Variant) -> [UInt8] {
        let bytes = id.bytes
        precondition(bytes.count == 5, "EM4100 ids are 5 bytes")
        let checksum = bytes.reduce(0, ^)
        var out: [UInt8] = [0x02]
        out += Array(HexCoding.encode(bytes + [checksum]).utf8)
        if variant == .idInnovations { out += [0x0D, 0x0A] }
        out.append(0x03)
        return out
    }
}
