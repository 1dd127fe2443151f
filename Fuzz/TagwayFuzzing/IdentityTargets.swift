import TagwayIdentity

/// The EPC decoders (binary, hex, tag URI, pure-identity URI) and the GS1 parsers (raw element
/// strings, human-readable, barcode classification), plus `tagway identify` over both, which
/// is what an operator pastes arbitrary text into.
enum IdentityTargets {
    static let all: [FuzzTarget] = [
        FuzzTarget(name: "epc", summary: "EPC binary decoder, hex and tag/pure-identity URI parsers",
                   run: runEPC, seeds: { epcSeeds.map { Array($0.utf8) } + binarySeeds }),
        FuzzTarget(name: "gs1", summary: "GS1 element-string parser (raw and human-readable) and barcode classification",
                   run: runGS1, seeds: { gs1Seeds.map { Array($0.utf8) } }),
    ]

    static func runEPC(_ bytes: [UInt8]) {
        _ = try? EPCBinaryDecoder.decode(bytes: bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? EPCBinaryDecoder.decode(hex: text)
        _ = try? EPCTagURI.parse(text)
        _ = try? EPCPureIdentityURI.parse(text)
        _ = IdentifyReport.json(for: text)
    }

    static func runGS1(_ bytes: [UInt8]) {
        _ = try? GS1ElementStringParser.parse(data: bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? GS1ElementStringParser.parse(humanReadable: text)
        if bytes.count >= 3, bytes[0] == UInt8(ascii: "]") {
            _ = try? BarcodeContent.classify(symbology: String(decoding: bytes[0..<3], as: UTF8.self), data: Array(bytes.dropFirst(3)))
        }
        _ = try? BarcodeContent.classify(symbology: nil, data: bytes)
        _ = IdentifyReport.text(for: text)
    }

    static let binarySeeds: [[UInt8]] = [
        [0x30, 0x14, 0x25, 0x7B, 0xF7, 0x19, 0x4E, 0x40, 0x00, 0x00, 0x1A, 0x85],
        [0x36, 0x14, 0x25, 0x7B, 0xF7, 0x19, 0x4E, 0x40, 0x00, 0x00, 0x1A, 0x85, 0x00, 0x00, 0x00, 0x00],
    ]

    static let epcSeeds = [
        "3074257BF7194E4000001A85", "urn:epc:tag:sgtin-96:3.0614141.812345.6789",
        "urn:epc:tag:sgtin-198:3.0614141.812345.32a%2Fb", "urn:epc:tag:sscc-96:3.0614141.1234567890",
        "urn:epc:tag:grai-96:3.0614141.12345.400", "urn:epc:tag:giai-202:3.0614141.32a%2Fb",
        "urn:epc:id:sgtin:0614141.812345.6789", "urn:epc:tag:sgln-96:3.0614141.12345.400",
        "epc:E280689400005011E0CE2A08", "3A1D0B88E0D8F5A70C8E4E000000",
    ]

    static let gs1Seeds = [
        "]C10195012345678903\u{1D}10ABC123\u{1D}2112345", "(01)09501101020917(17)190508(10)ABCD1234(21)10",
        "]d2010950110153000017250101", "]Q3(00)106141411234567897", "]C1800302\u{1D}8004123ABC",
        "(415)5412345678908(3911)710125(8020)1234", "]E04006381333931",
    ]
}
