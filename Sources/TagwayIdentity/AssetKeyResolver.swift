import TagwayModel

/// One canonical key per asset, whatever carried it (DESIGN §2 `asset`).
///
/// | carrier | key | scheme | raw |
/// |---|---|---|---|
/// | Gen2 tag with a GS1 EPC | pure-identity URI `urn:epc:id:giai:0614141.12345400` | EPC family (`giai`, `sgtin` …) | EPC hex |
/// | Gen2 tag without one (unknown header, invalid fields, PC toggle 1, PC length mismatch) | `urn:epc:raw:<bits>.x<HEX>` (TDS §15.2.1 raw URI, control fields left out; `urn:epc:raw:<bits>.x<AFI>.x<HEX>` for toggle 1) | `epc-raw` | EPC hex |
/// | EM4100 card | `em4100:<10 hex>` | `em4100` | hex |
/// | ISO 14443A UID | `iso14443a:<uid hex>` | `iso14443a` | hex |
/// | GS1 barcode whose key has an EPC scheme and whose company prefix length is known | the EPC pure-identity URI, same as the tag's | EPC family | escaped data |
/// | other GS1 barcode | `gs1:` + key element and qualifiers, `gs1:(01)09506000134352(21)X1`; no key: all elements | `gs1` | escaped data |
/// | anything else | `barcode:` + escaped data | `barcode` | escaped data |
///
/// Hex is upper case. Barcode text is escaped losslessly by `BarcodeText.escaped` (GS is `\x1D`).
/// A barcode in a GS1 symbology whose data is not a valid GS1 message keeps its bytes as a
/// `barcode:` key: the bytes are the only identity it has.
public enum AssetKeyResolver {
    /// The canonical asset for a tag read.
    public static func assetRef(for tag: TagObservation) -> AssetRef {
        let bytes = tag.id.bytes
        let hex = HexCoding.encode(bytes)
        switch tag.technology {
        case .em4100:
            return AssetRef(key: "em4100:" + hex, scheme: "em4100", raw: hex)
        case .iso14443a:
            return AssetRef(key: "iso14443a:" + hex, scheme: "iso14443a", raw: hex)
        case .epcGen2:
            var afi: UInt8?
            if let pc = tag.pc {
                let control = Gen2ProtocolControl(pc)
                do {
                    try control.validate(epc: bytes)
                } catch {
                    if control.toggle { afi = control.attributeBits }
                    return AssetRef(key: rawURI(hex: hex, bytes: bytes.count, afi: afi), scheme: "epc-raw", raw: hex)
                }
            }
            if let epc = try? EPCBinaryDecoder.decode(bytes: bytes) {
                return AssetRef(key: epc.pureIdentityURI, scheme: epc.scheme.family, raw: hex)
            }
            return AssetRef(key: rawURI(hex: hex, bytes: bytes.count, afi: afi), scheme: "epc-raw", raw: hex)
        }
    }

    /// For barcodes, with no company prefix lengths known: EPC-mappable GS1 keys stay `gs1:` keys.
    public static func assetRef(for scan: BarcodeScan) -> AssetRef {
        assetRef(for: scan, companyPrefixes: .none)
    }

    /// For barcodes: the EPC URI when the GS1 AIs map to an EPC scheme and `companyPrefixes`
    /// knows where the company prefix ends, else a `gs1:` key, else `barcode:`.
    public static func assetRef(for scan: BarcodeScan, companyPrefixes: GS1CompanyPrefixLengths) -> AssetRef {
        let raw = BarcodeText.escaped(scan.data)
        guard let content = try? BarcodeContent.classify(symbology: scan.symbology, data: scan.data) else {
            return AssetRef(key: "barcode:" + raw, scheme: "barcode", raw: raw)
        }
        return assetRef(for: content, raw: raw, companyPrefixes: companyPrefixes)
    }

    static func assetRef(for content: BarcodeContent, raw: String, companyPrefixes: GS1CompanyPrefixLengths) -> AssetRef {
        switch content {
        case let .plain(_, data):
            return AssetRef(key: "barcode:" + BarcodeText.escaped(data), scheme: "barcode", raw: raw)
        case let .gs1(_, message):
            if let epc = message.epc(companyPrefixes: companyPrefixes) {
                return AssetRef(key: epc.pureIdentityURI, scheme: epc.scheme.family, raw: raw)
            }
            let key = GS1Message(elements: message.keyElements ?? message.elements).elementString
            return AssetRef(key: "gs1:" + key, scheme: "gs1", raw: raw)
        }
    }

    /// `urn:epc:raw:<bits>.x<HEX>` (TDS §15.2.1 without control information).
    static func rawURI(hex: String, bytes: Int, afi: UInt8?) -> String {
        var out = "urn:epc:raw:" + String(bytes * 8) + "."
        if let afi { out += "x" + HexText.byte(afi) + "." }
        return out + "x" + hex
    }
}
