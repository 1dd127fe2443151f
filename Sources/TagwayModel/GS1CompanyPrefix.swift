/// The GS1 Company Prefix inside an EPC pure-identity URI (`urn:epc:id:giai:0614141.12345` →
/// `0614141`): the one parser for geofence rules (`match.companyPrefix`) and for the pipeline,
/// which learns prefix lengths from tags so a GS1 barcode gets the same key as its tag.
///
/// Only schemes built on a GS1 key carry one (GS1 EPC Tag Data Standard §6.3: SGTIN, SSCC,
/// SGLN, GRAI, GIAI, GSRN, GSRNP, GDTI, CPI, SGCN, GINC, GSIN, ITIP, UPUI, PGLN). GID's first
/// field is a General Manager Number, and USDOD, ADI, BIC and IMOVN carry CAGE/DoDAAC codes,
/// container codes and IMO numbers, none of them allocated by GS1: taking their first field for
/// a company prefix would match rules against the wrong organisation, and would teach the
/// barcode resolver a prefix length nobody issued. The prefix must be 6 to 12 digits (TDS §14
/// partition tables; the same bounds the configuration enforces) and be followed by a dot.
public enum GS1CompanyPrefix {
    /// Nil for keys that carry none: other schemes, raw EPCs, EM4100, NFC, barcodes, malformed URIs.
    /// On UTF-8 bytes, not Characters: a restart asks it of every restored asset.
    public static func of(epcURI key: String) -> String? {
        let bytes = key.utf8
        let head = "urn:epc:id:".utf8
        guard bytes.starts(with: head) else { return nil }
        let body = bytes.dropFirst(head.count)
        guard let colon = body.firstIndex(of: UInt8(ascii: ":")),
              carriesCompanyPrefix(scheme: String(decoding: body[..<colon], as: UTF8.self)) else { return nil }
        let value = body[body.index(after: colon)...]
        guard let dot = value.firstIndex(of: UInt8(ascii: ".")) else { return nil }
        let prefix = value[..<dot]
        guard (6...12).contains(prefix.count), prefix.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return String(decoding: prefix, as: UTF8.self)
    }

    /// True for the pure-identity schemes whose first field is a GS1 Company Prefix.
    public static func carriesCompanyPrefix(scheme: String) -> Bool {
        switch scheme {
        case "sgtin", "sscc", "sgln", "grai", "giai", "gsrn", "gsrnp", "gdti", "cpi", "sgcn", "ginc", "gsin", "itip", "upui", "pgln":
            true
        default:
            false
        }
    }
}
