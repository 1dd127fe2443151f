/// A profile or reader setting that a HID decoder does not accept.
public struct HIDSettingError: Error, Hashable, Sendable, CustomStringConvertible {
    public var key: String
    public var value: String
    public var expected: String

    public var description: String {
        value.isEmpty ? "unknown setting '\(key)' (\(expected))" : "setting \(key): '\(value)' is not \(expected)"
    }
}

extension KeyboardWedgeConfiguration {
    /// The `settings:` keys of an `hid-keyboard` profile.
    public static let settingKeys: Set<String> = [
        "keymap", "terminator", "interKeyTimeoutMs", "timeoutEndsScan", "symbologyPrefix", "maximumScanLength",
    ]

    /// Reads a profile's `settings:` (values as the YAML scalars' text), e.g.
    /// `{ keymap: de, terminator: enter, interKeyTimeoutMs: 50 }`. Missing keys keep the defaults;
    /// unknown keys are errors, so a misspelt setting is not silently ignored.
    public init(settings: [String: String]) throws(HIDSettingError) {
        for key in settings.keys.sorted() where !Self.settingKeys.contains(key) {
            throw HIDSettingError(key: key, value: "", expected: "one of \(Self.settingKeys.sorted().joined(separator: ", "))")
        }
        var keymap = Keymap.us
        if let name = settings["keymap"] {
            guard let named = Keymap.named(name) else {
                throw HIDSettingError(key: "keymap", value: name, expected: Keymap.all.map(\.name).joined(separator: ", "))
            }
            keymap = named
        }
        var terminator = ScanTerminator.enter
        if let name = settings["terminator"] {
            guard let named = ScanTerminator(rawValue: name.lowercased()) else {
                throw HIDSettingError(key: "terminator", value: name, expected: "enter, tab or none")
            }
            terminator = named
        }
        let timeout = try Self.integer(settings, "interKeyTimeoutMs", in: 1...10_000) ?? 100
        let maximum = try Self.integer(settings, "maximumScanLength", in: 1...1_000_000) ?? 4096
        self.init(
            keymap: keymap, terminator: terminator, interKeyTimeout: .milliseconds(timeout),
            timeoutEndsScan: try Self.flag(settings, "timeoutEndsScan"),
            symbologyPrefix: try Self.flag(settings, "symbologyPrefix") ?? false, maximumScanLength: maximum)
    }

    private static func integer(_ settings: [String: String], _ key: String, in range: ClosedRange<Int>) throws(HIDSettingError) -> Int? {
        guard let text = settings[key] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw HIDSettingError(key: key, value: text, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    private static func flag(_ settings: [String: String], _ key: String) throws(HIDSettingError) -> Bool? {
        guard let text = settings[key] else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw HIDSettingError(key: key, value: text, expected: "true or false")
        }
    }
}
