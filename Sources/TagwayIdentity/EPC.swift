import TagwayModel

/// One decoded EPC of a GS1 scheme, in the parts the URIs are made of.
///
/// `companyPrefix` and `reference` are decimal digits exactly as they appear in the URI (GIAI
/// references may hold any set-82 characters, already URI-escaped); `serial` is the URI form of
/// the serial or extension component, nil for schemes without one (SSCC, GIAI, GSRN).
/// For GID-96 `companyPrefix` is the General Manager Number and `reference` the Object Class.
public struct EPC: Hashable, Sendable {
    public var scheme: EPCScheme
    /// 0...7; nil for GID-96, which has no filter.
    public var filter: Int?
    /// 0...6; nil for GID-96. Always 12 - companyPrefix digits.
    public var partition: Int?
    public var companyPrefix: String
    public var reference: String
    public var serial: String?

    public init(scheme: EPCScheme, filter: Int?, partition: Int?, companyPrefix: String, reference: String, serial: String?) {
        self.scheme = scheme
        self.filter = filter
        self.partition = partition
        self.companyPrefix = companyPrefix
        self.reference = reference
        self.serial = serial
    }

    /// The components after the scheme name, dot-separated, as in both URIs.
    var body: String {
        if let serial { return companyPrefix + "." + reference + "." + serial }
        return companyPrefix + "." + reference
    }

    /// The pure-identity URI, e.g. `urn:epc:id:sgtin:0614141.812345.6789` (TDS §6.3).
    public var pureIdentityURI: String { "urn:epc:id:" + scheme.family + ":" + body }

    /// The tag URI with the filter, e.g. `urn:epc:tag:sgtin-96:3.0614141.812345.6789` (TDS §12).
    public var tagURI: String {
        if let filter { return "urn:epc:tag:" + scheme.rawValue + ":" + String(filter) + "." + body }
        return "urn:epc:tag:" + scheme.rawValue + ":" + body
    }

    /// The binary encoding as upper-case hex, padded to whole 16-bit words.
    public var hex: String { get throws(EPCError) { HexCoding.encode(try EPCBinaryEncoder.encode(self)) } }
}
