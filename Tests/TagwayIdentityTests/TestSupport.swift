import TagwayModel

/// Hex helpers for tests without reaching into the target's internals.
enum HexCodingShim {
    static func encode(_ bytes: [UInt8]) -> String { HexCoding.encode(bytes) }
}
