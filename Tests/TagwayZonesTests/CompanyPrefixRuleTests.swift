import TagwayModel
import TagwayZones
import Testing

/// `match.companyPrefix` uses the one parser (`GS1CompanyPrefix`): it once took the first field
/// of any EPC URI, so a rule for a GS1 company matched GID and IMO-number keys that happen to
/// start with the same digits.
@Suite struct CompanyPrefixRuleTests {
    @Test func aRuleMatchesGS1KeysOnly() {
        #expect(AssetMatch(companyPrefix: "0614141").matches(AssetRef(key: "urn:epc:id:sgtin:0614141.812345.6789", scheme: "sgtin", raw: "")))
        #expect(!AssetMatch(companyPrefix: "95100000").matches(AssetRef(key: "urn:epc:id:gid:95100000.12345.400", scheme: "gid", raw: "")))
        #expect(!AssetMatch(companyPrefix: "9176187").matches(AssetRef(key: "urn:epc:id:imovn:9176187", scheme: "imovn", raw: "")))
    }
}
