import TagwayModel

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
    public func integer(_ key: String, default fallback: Int, in range: ClosedRange<Int>)
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

    /// `true` or `false`; `fallback` when the key is absent.
    public func flag(_ key: String, default fallback: Bool) throws(ProtocolOptionError) -> Bool {
        guard let text = self[key] else { return fallback }
        switch text {
        case "true": return true
        case "false": return false
        default: throw ProtocolOptionError(key: key, value: text, expected: "true or false")
        }
    }

    /// A duration as the configuration writes them (`500ms`, `10s`, `2m`, `1h`, or a bare number
    /// of seconds) within `range`; `fallback` when the key is absent. Checked as a `Double`
    /// before any conversion, so `1e30s`, `inf` or `nan` is an error with the range, never a trap.
    public func duration(_ key: String, default fallback: Duration, in range: ClosedRange<Duration>)
        throws(ProtocolOptionError) -> Duration
    {
        guard let text = self[key] else { return fallback }
        let expected = "a duration such as 500ms, 10s, 2m, from \(Self.describe(range.lowerBound)) to \(Self.describe(range.upperBound))"
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var seconds: Double?
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            seconds = Self.plainNumber(text.dropLast(suffix.count)).map { $0 * scale }
            break
        }
        if seconds == nil { seconds = Self.plainNumber(Substring(text)) }
        let lower = Double(range.lowerBound.wholeMilliseconds) / 1000
        let upper = Double(range.upperBound.wholeMilliseconds) / 1000
        guard let seconds, seconds >= lower, seconds <= upper else {
            throw ProtocolOptionError(key: key, value: text, expected: expected)
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    private static func plainNumber(_ text: Substring) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              let value = Double(text), value.isFinite else { return nil }
        return value
    }

    private static func describe(_ duration: Duration) -> String {
        let ms = duration.wholeMilliseconds
        if ms == 0 { return "0s" }
        if ms % 3_600_000 == 0 { return "\(ms / 3_600_000)h" }
        if ms % 60_000 == 0 { return "\(ms / 60_000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }
}

