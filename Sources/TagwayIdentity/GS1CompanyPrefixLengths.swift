/// Known GS1 Company Prefix lengths, needed to turn a GS1 key from a barcode into an EPC URI:
/// the element string does not say where the company prefix ends, the EPC URI does (TDS §7:
/// "the GS1 Company Prefix length must be known").
///
/// Entries are prefixes of key digits with the company prefix length that applies to keys starting
/// with them: either whole company prefixes (`0614141` → 7, what a site's own configuration lists)
/// or the rows of GS1's GCP length table. The longest matching entry wins.
public struct GS1CompanyPrefixLengths: Hashable, Sendable {
    private var lengths: [String: Int] = [:]
    private var longestEntry = 0

    /// No prefixes known: GS1 barcodes keep GS1 keys (`gs1:`…) instead of EPC URIs.
    public static let none = GS1CompanyPrefixLengths()

    public init() {}

    /// Whole company prefixes (6 to 12 digits); each one's length is its own length.
    public init(companyPrefixes: some Sequence<String>) {
        for prefix in companyPrefixes where Decimal64.isDigits(prefix) && (6...12).contains(prefix.utf8.count) {
            add(prefix: prefix, length: prefix.utf8.count)
        }
    }

    /// Rows of a GCP length table: key prefix → company prefix length (6...12). Invalid rows are skipped.
    public init(lengthsByPrefix: [String: Int]) {
        for (prefix, length) in lengthsByPrefix
        where Decimal64.isDigits(prefix) && (6...12).contains(length) && prefix.utf8.count <= 12 {
            add(prefix: prefix, length: length)
        }
    }

    /// Adds a whole company prefix, e.g. one learnt from a decoded EPC (`EPC.companyPrefix`), so
    /// barcodes of the same company resolve to the same keys as its tags. Ignores non-prefixes.
    public mutating func insert(companyPrefix: String) {
        guard Decimal64.isDigits(companyPrefix), (6...12).contains(companyPrefix.utf8.count) else { return }
        add(prefix: companyPrefix, length: companyPrefix.utf8.count)
    }

    private mutating func add(prefix: String, length: Int) {
        lengths[prefix] = length
        longestEntry = max(longestEntry, prefix.utf8.count)
    }

    public var isEmpty: Bool { lengths.isEmpty }

    /// The company prefix length for a key whose company prefix starts at the first of `digits`.
    public func length(forKeyDigits digits: Substring) -> Int? {
        var count = min(longestEntry, digits.utf8.count)
        while count >= 1 {
            if let length = lengths[String(digits.prefix(count))], length <= digits.utf8.count { return length }
            count -= 1
        }
        return nil
    }
}
