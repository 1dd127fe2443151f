import Testing
@testable import TagwayIdentity

@Suite("EPC tag URI encoding")
struct EPCTagURITests {
    @Test("TDS examples encode to their hex", arguments: [
        ("urn:epc:tag:sgtin-96:3.0614141.812345.6789", "3074257BF7194E4000001A85"),
        ("urn:epc:tag:sscc-96:3.0614141.1234567890", "3174257BF4499602D2000000"),
        ("urn:epc:tag:giai-96:0.0614141.12345400", "3414257BF400000000BC6038"),
    ])
    func examples(uri: String, hex: String) throws {
        let epc = try EPCTagURI.parse(uri)
        #expect(try epc.hex == hex)
        #expect(epc.tagURI == uri)
    }

    @Test("tag URI → hex → tag URI round trips for every scheme", arguments: [
        "urn:epc:tag:sgtin-96:0.061414112345.1.0",
        "urn:epc:tag:sgtin-96:7.061414.1234567.274877906943",
        "urn:epc:tag:sgtin-198:3.0614141.812345.32a%2Fb%22c%25d%26e%3Cf%3Eg%3Fh",
        "urn:epc:tag:sgtin-198:1.0614141.812345.A.B:C!'()*+,-;=_z",
        "urn:epc:tag:sscc-96:6.0614141.1234567890",
        "urn:epc:tag:sgln-96:3.0614141.12345.400",
        "urn:epc:tag:sgln-96:3.061414112345..0",
        "urn:epc:tag:sgln-195:3.0614141.12345.ext%2F1",
        "urn:epc:tag:grai-96:3.0614141.12345.400",
        "urn:epc:tag:grai-170:3.0614141.12345.32a%2Fb",
        "urn:epc:tag:giai-96:3.0614141.5678",
        "urn:epc:tag:giai-202:3.0614141.12345400:A.B%2F",
        "urn:epc:tag:gsrn-96:3.0614141.1234567890",
        "urn:epc:tag:gsrnp-96:3.0614141.1234567890",
        "urn:epc:tag:gdti-96:3.0614141.12345.400",
        "urn:epc:tag:gdti-174:3.0614141.12345.abc%25",
        "urn:epc:tag:sgcn-96:3.4012345.67890.04711",
        "urn:epc:tag:gid-96:95100000.12345.400",
    ])
    func roundTrip(uri: String) throws {
        let epc = try EPCTagURI.parse(uri)
        let hex = try epc.hex
        let decoded = try EPCBinaryDecoder.decode(hex: hex)
        #expect(decoded == epc)
        #expect(decoded.tagURI == uri)
        #expect(hex.count == epc.scheme.storedBitLength / 4)
    }

    @Test("element strings of the worked examples", arguments: [
        ("urn:epc:tag:sgln-96:3.0614141.12345.400", "(414)0614141123452(254)400"),
        ("urn:epc:tag:sgln-96:3.0614141.12345.0", "(414)0614141123452"),
        ("urn:epc:tag:grai-96:3.0614141.12345.400", "(8003)00614141123452400"),
        ("urn:epc:tag:gdti-96:3.0614141.12345.400", "(253)0614141123452400"),
        ("urn:epc:tag:gsrn-96:3.0614141.1234567890", "(8018)061414112345678902"),
        ("urn:epc:tag:giai-202:3.0614141.A%2F1", "(8004)0614141A/1"),
        ("urn:epc:tag:sgtin-198:3.0614141.812345.a%2Fb", "(01)80614141123458(21)a/b"),
    ])
    func elementStrings(uri: String, elementString: String) throws {
        #expect(try EPCTagURI.parse(uri).elementString == elementString)
    }

    @Test("invalid URIs are rejected with the field at fault", arguments: [
        ("urn:epc:tag:sgtin-96:3.0614141.812345.06789", EPCError.leadingZero(scheme: "sgtin-96", field: "serial", value: "06789")),
        ("urn:epc:tag:sgtin-96:3.0614141.812345.274877906944", .valueOverflow(scheme: "sgtin-96", field: "serial", value: "274877906944", limit: "2^38")),
        ("urn:epc:tag:sgtin-96:8.0614141.812345.1", .invalidFilter(scheme: "sgtin-96", value: "8")),
        ("urn:epc:tag:sgtin-96:3.0614141.81234.1", .fieldLength(scheme: "sgtin-96", field: "indicator and item reference", length: 5, expected: 6)),
        ("urn:epc:tag:sgtin-198:3.0614141.812345.a#b", .invalidCharacter(scheme: "sgtin-198", field: "serial", character: "#", position: 1)),
        ("urn:epc:tag:sgtin-198:3.0614141.812345.a/b", .invalidCharacter(scheme: "sgtin-198", field: "serial", character: "/", position: 1)),
        ("urn:epc:tag:sgtin-198:3.0614141.812345.%23", .invalidCharacter(scheme: "sgtin-198", field: "serial", character: "%23", position: 0)),
        ("urn:epc:tag:sgtin-198:3.0614141.812345.123456789012345678901", .fieldTooLong(scheme: "sgtin-198", field: "serial", length: 21, maximum: 20)),
        ("urn:epc:tag:giai-96:3.0614141.0123", .leadingZero(scheme: "giai-96", field: "individual asset reference", value: "0123")),
        ("urn:epc:tag:giai-202:3.061414112345.1234567890123456789", .fieldTooLong(scheme: "giai-202", field: "individual asset reference", length: 19, maximum: 18)),
        ("urn:epc:tag:sscc-96:3.0614141.1234567890.1", .malformedURI(uri: "urn:epc:tag:sscc-96:3.0614141.1234567890.1", reason: "sscc-96 needs 3 dot-separated parts, found 4")),
        ("urn:epc:tag:sgtin-64:3.0614141.812345.1", .unknownScheme("sgtin-64")),
        ("urn:epc:tag:gid-96:268435456.1.1", .valueOverflow(scheme: "gid-96", field: "general manager number", value: "268435456", limit: "2^28")),
        ("urn:epc:tag:sgcn-96:3.4012345.67890.1234567890123", .fieldTooLong(scheme: "sgcn-96", field: "serial", length: 13, maximum: 12)),
    ] as [(String, EPCError)])
    func invalid(uri: String, expected: EPCError) {
        #expect(throws: expected) { try EPCTagURI.parse(uri) }
    }
}

@Suite("Gen2 PC word and StoredCRC")
struct Gen2Tests {
    @Test func crcCheckValue() {
        #expect(Gen2CRC16.checksum(Array("123456789".utf8)) == 0xD64E)
    }

    @Test func pcAndCRC() throws {
        let epc: [UInt8] = [0x30, 0x74, 0x25, 0x7B, 0xF7, 0x19, 0x4E, 0x40, 0x00, 0x00, 0x1A, 0x85]
        let pc = Gen2ProtocolControl(0x3000)
        #expect(pc.lengthInWords == 6)
        try pc.validate(epc: epc)
        let crc = Gen2CRC16.checksum([0x30, 0x00] + epc)
        try pc.verify(epc: epc, storedCRC: crc)
        #expect(throws: EPCError.crcMismatch(stored: crc ^ 1, computed: crc)) { try pc.verify(epc: epc, storedCRC: crc ^ 1) }
        #expect(throws: EPCError.pcLengthMismatch(pcWords: 8, epcWords: 6)) { try Gen2ProtocolControl(0x4000).validate(epc: epc) }
        #expect(throws: EPCError.isoApplicationFamily(afi: 0xA2)) { try Gen2ProtocolControl(0x31A2).validate(epc: epc) }
    }
}
