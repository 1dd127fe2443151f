import Testing
@testable import TagwayAudit

@Suite struct AssetTagMatchTests {
    @Test func aValueMatchesTheKeyTheBarcodeTextOrTheGIAIAndGRAISerial() {
        let matching: [(String, String)] = [
            ("urn:epc:id:giai:0614141.LAP-00042", "urn:epc:id:giai:0614141.LAP-00042"),
            ("LAP-00042", "urn:epc:id:giai:0614141.LAP-00042"),
            ("LAP/42", "urn:epc:id:giai:0614141.LAP%2F42"),
            ("LAP-00042", "barcode:LAP-00042"),
            ("barcode:LAP-00042", "barcode:LAP-00042"),
            ("12345", "urn:epc:id:grai:0614141.12345.12345"),
            ("em4100:0100E2850E", "em4100:0100E2850E"),
        ]
        for (value, key) in matching { #expect(AssetTagMatch.matches(value, key: key), "\(value) vs \(key)") }
        let different: [(String, String)] = [
            ("lap-00042", "urn:epc:id:giai:0614141.LAP-00042"),
            ("0614141", "urn:epc:id:giai:0614141.LAP-00042"),
            ("0614141.LAP-00042", "urn:epc:id:giai:0614141.LAP-00042"),
            ("12345", "urn:epc:id:grai:0614141.12345."),
            ("0100E2850E", "em4100:0100E2850E"),
            ("LAP-00042", "urn:epc:id:sgtin:0614141.812345.LAP-00042"),
            ("LAP-00042", "gs1:(8004)0614141LAP-00042"),
            ("", "barcode:"),
        ]
        for (value, key) in different { #expect(!AssetTagMatch.matches(value, key: key), "\(value) vs \(key)") }
    }

    @Test func malformedEscapesAreKeptAsWritten() {
        #expect(AssetTagMatch.tag(ofKey: "urn:epc:id:giai:0614141.A%2") == "A%2")
        #expect(AssetTagMatch.tag(ofKey: "urn:epc:id:giai:0614141.A%zz%41") == "A%zzA")
        #expect(AssetTagMatch.tag(ofKey: "urn:epc:id:giai:0614141") == nil)
    }
}
