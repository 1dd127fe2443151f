/// Typed reads of a profile's `settings:` strings. A wrong value is a configuration error that
/// names the key, the value and what would be right, so `tagway check` can point at the profile
/// instead of the reader misbehaving at 3 a.m.
extension Dictionary where Key == String, Value == String {
    /// One of an enum's raw values; `fallback` when the key is absent.
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, default fallback: T)
        throws(ProtocolOptionError) -> T where T.RawValue == String
    {
        guard let text = self[key] else { return fallback }
        guard let value = T(rawValue: text) else {
            let names = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw ProtocolOptionError(key: key, value: text, expected: "one of \(names)")
        }
        return value
    }

    /// A decimal integer within `range`; `fallback` when the key is absent.
    func integer(_ key: String, default fallback: Int, in range: ClosedRange<Int>)
        throws(ProtocolOptionError) -> Int
    {
        guard let text = self[key] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw ProtocolOptionError(
                key: key, value: text,
                expected: "an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// The poll interval of a commanded reader, `pollIntervalMs`. Readers answer within tens of
    /// milliseconds, so anything under 10 ms only floods the port; over a minute is a typo.
    func pollInterval(default fallback: Int) throws(ProtocolOptionError) -> Duration {
        .milliseconds(try integer("pollIntervalMs", default: fallback, in: 10...60_000))
    }
}
