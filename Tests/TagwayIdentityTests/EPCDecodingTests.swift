import Testing
@testable import TagwayIdentity

/// Worked examples from the GS1 EPC Tag Data Standard (TDS §6.3, §12, §14.5) and the DESIGN page.
@Suite("EPC binary decoding")
struct EPCDecodingTests {
    @Test("TDS SGTIN-96 example decodes to all its URIs")
    func sgtin96Example() throws {
        let epc = try EPCBinaryDecoder.decode(hex: "3074257BF7194E4000001A85")
        #expect(epc.scheme == .sgtin96)
        #expect(epc.filter == 3)
        #expect(epc.partition == 5)
        #expect(epc.pureIdentityURI == "urn:epc:id:sgtin:0614141.812345.6789")
        #expect(epc.tagURI == "urn:epc:tag:sgtin-96:3.0614141.812345.6789")
        #expect(epc.elementString == "(01)80614141123458(21)6789")
        #expect(try epc.hex == "3074257BF7194E4000001A85")
    }

    @Test("GIAI-96 of the event contract example")
    func giai96Example() throws {
        let epc = try EPCBinaryDecoder.decode(hex: "3414257BF400000000BC6038")
        #expect(epc.pureIdentityURI == "urn:epc:id:giai:0614141.12345400")
        #expect(epc.tagURI == "urn:epc:tag:giai-96:0.0614141.12345400")
        #expect(epc.elementString == "(8004)061414112345400")
    }

    @Test("TDS SSCC-96 example")
    func sscc96Example() throws {
        let epc = try EPCBinaryDecoder.decode(hex: "3174257BF4499602D2000000")
        #expect(epc.pureIdentityURI == "urn:epc:id:sscc:0614141.1234567890")
        #expect(epc.tagURI == "urn:epc:tag:sscc-96:3.0614141.1234567890")
        #expect(epc.elementString == "(00)106141412345678908")
    }

    @Test("lower-case hex is accepted and normalised")
    func lowerCase() throws {
        let epc = try EPCBinaryDecoder.decode(hex: "3074257bf7194e4000001a85")
        #expect(try epc.hex == "3074257BF7194E4000001A85")
    }

    @Test("invalid inputs give precise errors", arguments: [
        ("", EPCError.empty),
        ("3074257BF7194E4000001A8", .oddHexLength(digits: 23)),
        ("3074257BF7194E4000001AG5", .notHex(position: 22, character: "G")),
        ("FF74257BF7194E4000001A85", .unknownHeader(0xFF)),
        ("3074257BF7194E4000001A", .wrongLength(scheme: "sgtin-96", expectedBits: 96, expectedHexDigits: 24, actualHexDigits: 22)),
        ("3074257BF7194E4000001A850000", .wrongLength(scheme: "sgtin-96", expectedBits: 96, expectedHexDigits: 24, actualHexDigits: 28)),
        ("307C257BF7194E4000001A85", .invalidPartition(scheme: "sgtin-96", value: 7)),
        ("3174257BF4499602D2000001", .reservedNotZero(scheme: "sscc-96", field: "reserved bits")),
    ] as [(String, EPCError)])
    func errors(input: String, expected: EPCError) {
        #expect(throws: expected) { try EPCBinaryDecoder.decode(hex: input) }
    }

    @Test("company prefix above 10^L is an overflow, not a wrong URI")
    func prefixOverflow() throws {
        // SGTIN-96, partition 6 (20-bit prefix, 6 digits): prefix bits all ones = 1048575 >= 10^6.
        var writer = BitWriter()
        writer.write(0x30, bits: 8); writer.write(1, bits: 3); writer.write(6, bits: 3)
        writer.write((1 << 20) - 1, bits: 20); writer.write(1, bits: 24); writer.write(1, bits: 38)
        let hex = HexCodingShim.encode(writer.bytes)
        #expect(throws: EPCError.valueOverflow(scheme: "sgtin-96", field: "company prefix", value: "1048575", limit: "10^6")) {
            try EPCBinaryDecoder.decode(hex: hex)
        }
    }
}

@Suite struct IdentifyInputClassificationTests {
    @Test func wholeWordsOfHexAreAnEPCEvenWithAnUnknownHeader() {
        let (line, isError) = IdentifyReport.json(for: "E2801160600002054CC20D1A")
        #expect(isError)
        #expect(line.contains("\"kind\":\"epc\""))
        #expect(line.contains("header 0xE2"))
        #expect(line.contains("\"assetKey\":\"urn:epc:raw:96.xE2801160600002054CC20D1A\""))
    }

    @Test func shortOrOddHexStaysABarcode() {
        #expect(IdentifyReport.json(for: "ABCDEF0123").line.contains("\"kind\":\"plain\""))
        #expect(IdentifyReport.json(for: "4006381333931").line.contains("\"kind\":\"plain\""))
    }
}
