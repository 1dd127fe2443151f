import Testing
import TagwayIdentity
import TagwayModel

/// The one company-prefix parser. The pipeline's and the geofence rules' parsers used to
/// disagree; each case below is one where they did, with the answer both now give.
@Suite struct GS1CompanyPrefixTests {
    @Test func gs1KeySchemesCarryTheirPrefix() {
        #expect(GS1CompanyPrefix.of(epcURI: "urn:epc:id:giai:0614141.12345400") == "0614141")
        #expect(GS1CompanyPrefix.of(epcURI: "urn:epc:id:sgtin:0614141.812345.6789") == "0614141")
        #expect(GS1CompanyPrefix.of(epcURI: "urn:epc:id:sscc:0614141.1234567890") == "0614141")
        #expect(GS1CompanyPrefix.of(epcURI: "urn:epc:id:sgln:012345678901..0") == "012345678901")
    }

    /// The rule parser took a GID's General Manager Number for a company prefix (the pipeline
    /// did not): GS1 does not allocate it (TDS §6.3.9), so a `companyPrefix` rule must not match it
    /// (`CompanyPrefixRuleTests`).
    @Test func gidHasNoCompanyPrefix() {
        #expect(GS1CompanyPrefix.of(epcURI: "urn:epc:id:gid:95100000.12345.400") == nil)
    }

    /// Both took the first field of non-GS1 schemes: an IMO vessel number (no dot) became a
    /// "prefix" for the rule and was learnt as a prefix length by the pipeline.
    @Test func nonGS1SchemesHaveNone() {
        #expect(GS1CompanyPrefix.of(epcURI: "urn:epc:id:imovn:9176187") == nil)
        #expect(GS1CompanyPrefix.of(epcURI: "urn:epc:id:usdod:2S194.12345678901") == nil)
        #expect(GS1CompanyPrefix.of(epcURI: "urn:epc:id:adi:2S194..12345678901") == nil)
    }

    /// The rule parser accepted any text before the dot; the pipeline required digits but no
    /// upper bound. A GS1 Company Prefix in an EPC is 6 to 12 digits (TDS §14 partition tables).
    @Test func thePrefixIsSixToTwelveDigitsBeforeADot() {
        #expect(GS1CompanyPrefix.of(epcURI: "urn:epc:id:giai:06141.1") == nil)
        #expect(GS1CompanyPrefix.of(epcURI: "urn:epc:id:giai:0614141234567.1") == nil)
        #expect(GS1CompanyPrefix.of(epcURI: "urn:epc:id:giai:06141A1.1") == nil)
        #expect(GS1CompanyPrefix.of(epcURI: "urn:epc:id:giai:0614141") == nil)
        #expect(GS1CompanyPrefix.of(epcURI: "urn:epc:id:giai") == nil)
        #expect(GS1CompanyPrefix.of(epcURI: "urn:epc:raw:96.x30") == nil)
        #expect(GS1CompanyPrefix.of(epcURI: "em4100:0A0B0C0D0E") == nil)
    }

    /// What the pipeline learns from a decoded tag is what the barcode resolver then uses.
    @Test func aDecodedEPCsKeyGivesItsPrefix() throws {
        let asset = AssetKeyResolver.assetRef(for: TagObservation(technology: .epcGen2, id: TagID(hex: "3074257BF7194E4000001A85")!))
        #expect(GS1CompanyPrefix.of(epcURI: asset.key) == "0614141")
    }
}
