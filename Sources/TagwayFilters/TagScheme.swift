import TagwayIdentity
import TagwayModel

/// The values a filter's `scheme:` may take, and how a tag read is tested against one without
/// parsing it.
public enum TagScheme {
    /// EPC families the decoder knows (by header byte), then the other technologies and the
    /// barcode schemes.
    public static var known: [String] {
        var families: [String] = []
        for scheme in EPCScheme.allCases where !families.contains(scheme.family) { families.append(scheme.family) }
        return families + ["epc-raw", "em4100", "iso14443a", "gs1", "barcode"]
    }

    /// The headers of an EPC family; nil when `family` is not one.
    static func headers(family: String) -> ByteSet? {
        let headers = EPCScheme.allCases.filter { $0.family == family }.map(\.header)
        return headers.isEmpty ? nil : ByteSet(headers)
    }

    /// How a tag read is tested for `scheme`.
    enum Test: Sendable, Hashable {
        /// A Gen2 tag whose header is one of these.
        case headers(ByteSet)
        /// A Gen2 tag whose header no GS1 scheme the decoder knows has.
        case raw
        case technology(TagObservation.Technology)
        /// Barcodes only (`gs1`, `barcode`): no tag matches.
        case never
    }

    static func test(_ scheme: String) -> Test? {
        if let headers = headers(family: scheme) { return .headers(headers) }
        switch scheme {
        case "epc-raw": return .raw
        case "em4100": return .technology(.em4100)
        case "iso14443a": return .technology(.iso14443a)
        case "gs1", "barcode": return .never
        default: return nil
        }
    }
}
