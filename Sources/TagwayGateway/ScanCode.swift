import TagwayModel

/// A barcode scan as the debouncer's key: the symbology identifier, a NUL, then the data.
///
/// The debouncer keys scans by bytes (for its hold-off); this keeps the symbology in the key, so
/// the same digits as EAN-13 and as Code 128 stay distinct, and lets the scan be rebuilt from a
/// sighting without a side table. Symbology identifiers never contain NUL.
enum ScanCode {
    static func key(for scan: BarcodeScan) -> TagID {
        TagID(bytes: Array((scan.symbology ?? "").utf8) + [0] + scan.data)
    }

    static func scan(from key: TagID) -> BarcodeScan {
        let bytes = key.bytes
        guard let split = bytes.firstIndex(of: 0) else { return BarcodeScan(data: bytes) }
        let symbology = split == 0 ? nil : String(decoding: bytes[..<split], as: UTF8.self)
        return BarcodeScan(symbology: symbology, data: Array(bytes[(split + 1)...]))
    }
}
