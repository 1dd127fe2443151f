/// The GS1 mod-10 check digit (GS1 General Specifications §7.9.1): from the right, digits are
/// weighted 3, 1, 3, 1 ...; the check digit brings the sum to a multiple of 10. Used by GTIN,
/// SSCC, GLN, GRAI, GDTI, GSRN, GCN, GSIN and ITIP.
public enum GS1CheckDigit {
    /// The check digit for `digits` (the key without its check digit); nil if any byte is not a digit.
    public static func compute(_ digits: some StringProtocol) -> UInt8? {
        var sum = 0
        var weight = 3
        for byte in digits.utf8.reversed() {
            guard byte >= 48, byte <= 57 else { return nil }
            sum += Int(byte - 48) * weight
            weight = 4 - weight
        }
        return UInt8((10 - sum % 10) % 10)
    }

    /// True when the last digit of `key` is the check digit of the digits before it.
    public static func isValid(_ key: some StringProtocol) -> Bool {
        let utf8 = Array(key.utf8)
        guard utf8.count >= 2, let last = utf8.last, last >= 48, last <= 57,
              let expected = compute(String(decoding: utf8.dropLast(), as: UTF8.self))
        else { return false }
        return expected == last - 48
    }

    /// `digits` followed by their check digit.
    static func appending(to digits: String) -> String {
        digits + String(compute(digits) ?? 0)
    }
}
