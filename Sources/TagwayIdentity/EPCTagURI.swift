/// Parsing EPC tag URIs (`urn:epc:tag:<scheme>:<filter>.<components>`, TDS §12.2) into an `EPC`
/// that has been fully validated by encoding it, so `hex` never fails afterwards.
public enum EPCTagURI {
    public static let prefix = "urn:epc:tag:"

    public static func parse(_ uri: String) throws(EPCError) -> EPC {
        guard uri.hasPrefix(prefix) else { throw .malformedURI(uri: uri, reason: "must start with \(prefix)") }
        let rest = uri.dropFirst(prefix.count)
        guard let colon = rest.firstIndex(of: ":") else {
            throw .malformedURI(uri: uri, reason: "missing ':' after the scheme name")
        }
        let schemeName = String(rest[..<colon])
        guard let scheme = EPCScheme(rawValue: schemeName) else { throw .unknownScheme(schemeName) }
        let body = rest[rest.index(after: colon)...]
        var parts = body.split(separator: ".", omittingEmptySubsequences: false)
        let expected = expectedParts(scheme)
        // A GIAI-202 reference may itself contain '.', which set 82 allows: it takes everything after
        // the company prefix. Other string serials come last, so extra dots belong to them too.
        if parts.count > expected, scheme == .giai202 || scheme.serialCodingIsString {
            let head = parts.prefix(expected - 1)
            let tail = parts.dropFirst(expected - 1).joined(separator: ".")
            parts = Array(head) + [Substring(tail)]
        }
        guard parts.count == expected else {
            throw .malformedURI(uri: uri, reason: "\(scheme.rawValue) needs \(expected) dot-separated parts, found \(parts.count)")
        }
        var index = 0
        var filter: Int?
        if scheme.hasFilter {
            let text = parts[0]
            guard text.utf8.count == 1, let digit = text.utf8.first, digit >= 48, digit <= 55 else {
                throw .invalidFilter(scheme: scheme.rawValue, value: String(text))
            }
            filter = Int(digit - 48)
            index = 1
        }
        let companyPrefix = String(parts[index])
        let reference = String(parts[index + 1])
        let serial = parts.count > index + 2 ? String(parts[index + 2]) : nil
        var epc = EPC(scheme: scheme, filter: filter, partition: nil, companyPrefix: companyPrefix,
                      reference: reference, serial: serial)
        if scheme.hasFilter {
            guard Decimal64.isDigits(companyPrefix), (6...12).contains(companyPrefix.utf8.count) else {
                throw .malformedURI(uri: uri, reason: "company prefix must be 6 to 12 digits, got \(JSONQuote.quote(companyPrefix))")
            }
            epc.partition = 12 - companyPrefix.utf8.count
        }
        // Encoding validates every field; decoding the result gives the canonical URI form.
        let bytes = try EPCBinaryEncoder.encode(epc)
        return try EPCBinaryDecoder.decode(bytes: bytes)
    }

    private static func expectedParts(_ scheme: EPCScheme) -> Int {
        if scheme == .gid96 { return 3 }
        let filter = scheme.hasFilter ? 1 : 0
        switch scheme.serialCoding {
        case .reserved, .none: return filter + 2
        default: return filter + 3
        }
    }
}

extension EPCScheme {
    var serialCodingIsString: Bool {
        if case .string = serialCoding { return true }
        return false
    }
}

/// Pure-identity URIs (`urn:epc:id:<scheme>:<components>`, TDS §6.3), validated against the binary
/// schemes that can carry them.
public enum EPCPureIdentityURI {
    public static let prefix = "urn:epc:id:"

    /// The EPC of a pure-identity URI, in the smallest binary scheme that holds it with filter 0
    /// (a pure identity says nothing about either). Errors are those of the largest scheme.
    public static func parse(_ uri: String) throws(EPCError) -> EPC {
        guard uri.hasPrefix(prefix) else { throw .malformedURI(uri: uri, reason: "must start with \(prefix)") }
        let rest = uri.dropFirst(prefix.count)
        guard let colon = rest.firstIndex(of: ":") else {
            throw .malformedURI(uri: uri, reason: "missing ':' after the scheme name")
        }
        let family = String(rest[..<colon])
        let body = String(rest[rest.index(after: colon)...])
        let candidates = EPCScheme.allCases.filter { $0.family == family }
        guard !candidates.isEmpty else { throw .unknownScheme(family) }
        var lastError = EPCError.unknownScheme(family)
        for scheme in candidates {
            let tagURI = EPCTagURI.prefix + scheme.rawValue + ":" + (scheme.hasFilter ? "0." : "") + body
            do {
                return try EPCTagURI.parse(tagURI)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }
}
