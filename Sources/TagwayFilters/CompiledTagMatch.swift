import TagwayIdentity
import TagwayModel

/// A `TagMatch` turned into tests on a read's bytes, with the asset key asked for only by the
/// conditions that need it (`pattern`, a `keyPrefix` that is more than a scheme and a company
/// prefix).
struct CompiledTagMatch: Sendable {
    let source: TagMatch
    private var prefix: (mask: (UInt64, UInt64), value: (UInt64, UInt64), minBytes: Int)?
    private var scheme: TagScheme.Test?
    /// From a `keyPrefix` of the form `urn:epc:id:<family>:` or `urn:epc:id:<family>:<prefix>.`.
    private var keyHeaders: ByteSet?
    private var filterValue: UInt8?
    private var companyPrefix: (partition: Int, value: UInt64)?
    /// The `keyPrefix` left to test on the key (nil when the bytes answer it).
    private var keyPrefix: String?

    init(_ match: TagMatch) {
        source = match
        if let p = match.epcPrefix { prefix = (BitPrefix.masks(bits: p.bits), p.words, (p.bits + 7) / 8) }
        scheme = match.scheme.flatMap(TagScheme.test) ?? (match.scheme == nil ? nil : .never)
        filterValue = match.filterValue.map { UInt8(truncatingIfNeeded: $0) }
        if let digits = match.companyPrefix { companyPrefix = CompanyPrefixBits.encode(digits) ?? (partition: -1, value: 0) }
        if let key = match.keyPrefix {
            if let (headers, cp) = Self.byteForm(of: key) {
                keyHeaders = headers
                if let cp {
                    // Both a companyPrefix and a keyPrefix naming one: both must hold.
                    if let other = companyPrefix, other != cp { companyPrefix = (-1, 0) } else { companyPrefix = cp }
                }
            } else {
                keyPrefix = key
            }
        }
    }

    /// True when the asset key is needed to answer for a tag.
    var needsKey: Bool { keyPrefix != nil || source.pattern != nil }

    /// Whether a tag read matches. `key` is resolved at most once per read, and only when the
    /// bytes did not already decide.
    func matches(_ tag: TagObservation, key: inout LazyAssetKey) -> Bool {
        let id = tag.id
        if let prefix {
            let words = id.leadingWords
            guard id.count >= prefix.minBytes, words.0 & prefix.mask.0 == prefix.value.0,
                  words.1 & prefix.mask.1 == prefix.value.1 else { return false }
        }
        if scheme != nil || keyHeaders != nil || filterValue != nil || companyPrefix != nil {
            let fields = EPCFields(id)
            if let scheme {
                switch scheme {
                case .headers(let set):
                    guard tag.technology == .epcGen2, fields.count >= 1, set.contains(fields.header) else { return false }
                case .raw:
                    guard tag.technology == .epcGen2, fields.count == 0 || EPCScheme(header: fields.header) == nil else { return false }
                case .technology(let technology):
                    guard tag.technology == technology else { return false }
                case .never:
                    return false
                }
            }
            if let keyHeaders {
                guard tag.technology == .epcGen2, fields.count >= 1, keyHeaders.contains(fields.header) else { return false }
            }
            if let filterValue {
                guard tag.technology == .epcGen2, fields.hasFilterAndPartition, fields.filterValue == filterValue else { return false }
            }
            if let companyPrefix {
                guard tag.technology == .epcGen2, fields.count >= 8, fields.hasFilterAndPartition,
                      fields.partition == companyPrefix.partition,
                      fields.companyPrefix(partition: companyPrefix.partition) == companyPrefix.value else { return false }
            }
        }
        if needsKey {
            let text = key.value
            if let keyPrefix, !text.hasPrefix(keyPrefix) { return false }
            if let pattern = source.pattern, !pattern.matches(text) { return false }
        }
        return true
    }

    /// Whether a scan matches, by its resolved asset: a barcode has no EPC bits, so an entry with
    /// `epcPrefix` or `filterValue` never matches one.
    func matches(scan asset: AssetRef) -> Bool {
        if source.epcPrefix != nil || source.filterValue != nil { return false }
        if let scheme = source.scheme, asset.scheme != scheme { return false }
        if let keyPrefix = source.keyPrefix, !asset.key.hasPrefix(keyPrefix) { return false }
        if let cp = source.companyPrefix, GS1CompanyPrefix.of(epcURI: asset.key) != cp { return false }
        if let pattern = source.pattern, !pattern.matches(asset.key) { return false }
        return true
    }

    /// The headers (and company prefix) a key prefix names, when that is all it names:
    /// `urn:epc:id:giai:` or `urn:epc:id:giai:0614141.`. Nil when the key is needed.
    static func byteForm(of keyPrefix: String) -> (ByteSet, (partition: Int, value: UInt64)?)? {
        guard keyPrefix.hasPrefix(EPCPureIdentityURI.prefix) else { return nil }
        let rest = keyPrefix.dropFirst(EPCPureIdentityURI.prefix.count)
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let family = String(rest[..<colon])
        guard let headers = TagScheme.headers(family: family) else { return nil }
        let body = rest[rest.index(after: colon)...]
        if body.isEmpty { return (headers, nil) }
        guard GS1CompanyPrefix.carriesCompanyPrefix(scheme: family), body.last == ".",
              let cp = CompanyPrefixBits.encode(String(body.dropLast())) else { return nil }
        return (headers, cp)
    }
}

/// A read's asset key, parsed the first time a condition asks for it.
struct LazyAssetKey {
    let tag: TagObservation
    private var resolved: String?

    init(tag: TagObservation) { self.tag = tag }

    var value: String {
        mutating get {
            if let resolved { return resolved }
            let key = AssetKeyResolver.assetRef(for: tag).key
            resolved = key
            return key
        }
    }
}
