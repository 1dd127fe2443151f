import Testing
@testable import TagwayIdentity

/// `EPC` is a public value anyone can build, not only the URI parser: every field the encoder
/// turns into a number fails with a typed error naming the field, never a trap.
@Suite struct EPCEncoderFieldErrorTests {
    static func sgtin(companyPrefix: String, reference: String = "812345", serial: String? = "6789") -> EPC {
        EPC(scheme: .sgtin96, filter: 3, partition: nil, companyPrefix: companyPrefix, reference: reference, serial: serial)
    }

    @Test func aNonDigitCompanyPrefixThrowsWithItsPosition() {
        #expect(throws: EPCError.invalidCharacter(scheme: "sgtin-96", field: "company prefix", character: "A", position: 3)) {
            try EPCBinaryEncoder.encode(Self.sgtin(companyPrefix: "061A141"))
        }
        #expect(throws: EPCError.invalidCharacter(scheme: "sgtin-96", field: "company prefix", character: "٤", position: 3)) {
            try EPCBinaryEncoder.encode(Self.sgtin(companyPrefix: "061٤141"))
        }
    }

    @Test func anEmptyCompanyPrefixIsAnEmptyField() {
        #expect(throws: EPCError.emptyField(scheme: "sgtin-96", field: "company prefix")) {
            try EPCBinaryEncoder.encode(Self.sgtin(companyPrefix: ""))
        }
    }

    @Test func aNonDigitReferenceThrows() {
        #expect(throws: EPCError.invalidCharacter(scheme: "sgtin-96", field: "indicator and item reference", character: "x", position: 0)) {
            try EPCBinaryEncoder.encode(Self.sgtin(companyPrefix: "0614141", reference: "x12345"))
        }
    }

    /// The SGCN serial keeps its leading zeros through the marker digit.
    @Test func aNumericStringSerialRoundTripsWithLeadingZeros() throws {
        let epc = EPC(scheme: .sgcn96, filter: 3, partition: nil, companyPrefix: "4012345", reference: "67890", serial: "04711")
        let decoded = try EPCBinaryDecoder.decode(bytes: try EPCBinaryEncoder.encode(epc))
        #expect(decoded.serial == "04711")
        #expect(throws: EPCError.invalidCharacter(scheme: "sgcn-96", field: "serial", character: "-", position: 2)) {
            try EPCBinaryEncoder.encode(EPC(scheme: .sgcn96, filter: 3, partition: nil, companyPrefix: "4012345", reference: "67890",
                                            serial: "04-11"))
        }
    }
}
