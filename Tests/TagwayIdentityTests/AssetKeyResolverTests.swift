import Testing
import TagwayModel
@testable import TagwayIdentity

@Suite("Asset keys")
struct AssetKeyResolverTests {
    private let site = GS1CompanyPrefixLengths(companyPrefixes: ["0614141", "9506000"])

    private func scan(_ text: String) -> BarcodeScan {
        BarcodeScan(data: BarcodeText.unescaped(text))
    }

    @Test("a laptop's GIAI tag and its GIAI barcode are one asset")
    func giaiTagAndBarcode() throws {
        let tag = TagObservation(technology: .epcGen2, id: TagID(hex: "3414257BF400000000BC6038")!, pc: 0x3000)
        let fromTag = AssetKeyResolver.assetRef(for: tag)
        #expect(fromTag == AssetRef(key: "urn:epc:id:giai:0614141.12345400", scheme: "giai", raw: "3414257BF400000000BC6038"))
        let fromBarcode = AssetKeyResolver.assetRef(for: scan("]C18004061414112345400"), companyPrefixes: site)
        #expect(fromBarcode.key == fromTag.key)
        #expect(fromBarcode.scheme == "giai")
        let humanReadable = AssetKeyResolver.assetRef(for: BarcodeScan(symbology: nil, data: Array("(8004)061414112345400".utf8)),
                                                      companyPrefixes: site)
        #expect(humanReadable.key == fromTag.key)
    }

    @Test("GS1 keys with EPC schemes map to the tag's pure identity", arguments: [
        ("]C1010950600013435221ABC/1", "urn:epc:id:sgtin:9506000.013435.ABC%2F1", "sgtin"),
        ("]C100106141412345678908", "urn:epc:id:sscc:0614141.1234567890", "sscc"),
        ("]C14140614141123452", "urn:epc:id:sgln:0614141.12345.0", "sgln"),
        ("]C14140614141123452254A-1", "urn:epc:id:sgln:0614141.12345.A-1", "sgln"),
        ("]C1800300614141123452400", "urn:epc:id:grai:0614141.12345.400", "grai"),
        ("]C18018061414112345678902", "urn:epc:id:gsrn:0614141.1234567890", "gsrn"),
        ("]C12530614141123452400", "urn:epc:id:gdti:0614141.12345.400", "gdti"),
    ])
    func gs1ToEPC(text: String, key: String, scheme: String) {
        let ref = AssetKeyResolver.assetRef(for: scan(text), companyPrefixes: site)
        #expect(ref.key == key)
        #expect(ref.scheme == scheme)
    }

    @Test("the SGTIN-96 tag and the (01)(21) barcode agree")
    func sgtin() throws {
        let tag = TagObservation(technology: .epcGen2, id: TagID(hex: "3074257BF7194E4000001A85")!)
        let barcode = AssetKeyResolver.assetRef(for: scan("]C10180614141123458216789"), companyPrefixes: site)
        #expect(AssetKeyResolver.assetRef(for: tag).key == barcode.key)
    }

    @Test("without known company prefixes, GS1 keys stay gs1: keys with their qualifiers")
    func gs1Keys() {
        #expect(AssetKeyResolver.assetRef(for: scan("]C18004061414112345400")).key == "gs1:(8004)061414112345400")
        let lot = AssetKeyResolver.assetRef(for: scan("]C1010950600013435217251231 10LOT1\\x1D21S1".split(separator: " ").joined()))
        #expect(lot == AssetRef(key: "gs1:(01)09506000134352(10)LOT1(21)S1", scheme: "gs1",
                                raw: "]C1010950600013435217251231 10LOT1\\x1D21S1".split(separator: " ").joined()))
        #expect(AssetKeyResolver.assetRef(for: scan("]C13103001250")).key == "gs1:(3103)001250")
        #expect(AssetKeyResolver.assetRef(for: scan("]E09506000134352"), companyPrefixes: site).key == "gs1:(01)09506000134352")
    }

    @Test("plain codes, EM4100, NFC and non-GS1 EPCs")
    func plainKeys() {
        #expect(AssetKeyResolver.assetRef(for: BarcodeScan(symbology: "]C0", data: Array("IT-0042".utf8)))
            == AssetRef(key: "barcode:IT-0042", scheme: "barcode", raw: "IT-0042"))
        #expect(AssetKeyResolver.assetRef(for: scan("A\\x5CB\\x0D")).key == "barcode:A\\x5CB\\x0D")
        let em = TagObservation(technology: .em4100, id: TagID(hex: "0100E2850E")!)
        #expect(AssetKeyResolver.assetRef(for: em) == AssetRef(key: "em4100:0100E2850E", scheme: "em4100", raw: "0100E2850E"))
        let nfc = TagObservation(technology: .iso14443a, id: TagID(hex: "04a224b2c35e80")!)
        #expect(AssetKeyResolver.assetRef(for: nfc).key == "iso14443a:04A224B2C35E80")
        let unknown = TagObservation(technology: .epcGen2, id: TagID(hex: "E2801160600002054CC2096F")!)
        #expect(AssetKeyResolver.assetRef(for: unknown)
            == AssetRef(key: "urn:epc:raw:96.xE2801160600002054CC2096F", scheme: "epc-raw", raw: "E2801160600002054CC2096F"))
        let iso = TagObservation(technology: .epcGen2, id: TagID(hex: "3074257BF7194E4000001A85")!, pc: 0x31A2)
        #expect(AssetKeyResolver.assetRef(for: iso).key == "urn:epc:raw:96.xA2.x3074257BF7194E4000001A85")
        let truncated = TagObservation(technology: .epcGen2, id: TagID(hex: "3074257BF7194E4000001A85")!, pc: 0x4000)
        #expect(AssetKeyResolver.assetRef(for: truncated).scheme == "epc-raw")
    }

    @Test("an invalid GS1 symbol keeps its bytes as a barcode key")
    func invalidGS1() {
        let ref = AssetKeyResolver.assetRef(for: BarcodeScan(symbology: "]C1", data: Array("0109506000134353".utf8)))
        #expect(ref == AssetRef(key: "barcode:0109506000134353", scheme: "barcode", raw: "0109506000134353"))
    }
}

@Suite("GS1 company prefix lengths")
struct GS1CompanyPrefixLengthsTests {
    @Test("longest matching entry wins; GCP length table rows and learnt prefixes")
    func lookup() {
        var table = GS1CompanyPrefixLengths(lengthsByPrefix: ["0614": 7, "06141419": 9, "95": 13, "x1": 7])
        #expect(table.length(forKeyDigits: "061414112345") == 7)
        #expect(table.length(forKeyDigits: "061414191234") == 9)
        #expect(table.length(forKeyDigits: "95123") == nil)
        #expect(table.length(forKeyDigits: "4012345000") == nil)
        table.insert(companyPrefix: "4012345")
        table.insert(companyPrefix: "12")
        #expect(table.length(forKeyDigits: "4012345000") == 7)
        #expect(table.length(forKeyDigits: "1234567890") == nil)
        #expect(GS1CompanyPrefixLengths.none.isEmpty)
    }
}
