/// How an asset store's asset tag (`LAP-00042` in Snipe-IT) names an asset the gateway knows by
/// its canonical key.
///
/// An expected value matches a gateway key when it is:
/// 1. the key itself (`urn:epc:id:giai:0614141.LAP-00042`, `barcode:LAP-00042`, `em4100:0100E2850E`);
/// 2. the text of a `barcode:` key (a label printed with the tag: `barcode:LAP-00042`);
/// 3. the Individual Asset Reference of a GIAI key (`urn:epc:id:giai:<company prefix>.<reference>`):
///    the serial part of the GIAI, which is where sites encode their asset tags;
/// 4. the serial number of a GRAI key (`urn:epc:id:grai:<company prefix>.<asset type>.<serial>`).
///
/// The EPC URI escapes some characters (`%2F` for `/`); the reference is compared unescaped.
/// Comparison is exact (case and all), like the keys themselves. A `gs1:` key (a GS1 barcode whose
/// company prefix length is not known) has no reference to compare: list its key, or configure
/// `identity.companyPrefixes` so the barcode gets the EPC key.
public enum AssetTagMatch {
    /// The asset tag a key carries, when it carries one besides itself (rules 2–4).
    public static func tag(ofKey key: String) -> String? {
        if key.hasPrefix("barcode:") {
            let text = key.dropFirst("barcode:".count)
            return text.isEmpty ? nil : String(text)
        }
        if key.hasPrefix("urn:epc:id:giai:") {
            let parts = key.dropFirst("urn:epc:id:giai:".count).split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[1].isEmpty else { return nil }
            return percentDecoded(parts[1])
        }
        if key.hasPrefix("urn:epc:id:grai:") {
            let parts = key.dropFirst("urn:epc:id:grai:".count).split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, !parts[2].isEmpty else { return nil }
            return percentDecoded(parts[2])
        }
        return nil
    }

    public static func matches(_ value: String, key: String) -> Bool {
        value == key || tag(ofKey: key) == value
    }

    /// `%XX` to its byte; anything malformed is kept as written.
    static func percentDecoded(_ text: Substring) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
