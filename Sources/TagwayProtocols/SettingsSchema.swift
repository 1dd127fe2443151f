/// The `settings:` keys one protocol reads, each with what it expects, and the protocol's own
/// reader of them, so `check-config` and the gateway agree on what is valid.
public struct SettingsSchema: Sendable {
    public struct Key: Sendable, Hashable {
        public var name: String
        /// What a value must be, as said to whoever wrote a wrong one.
        public var expects: String

        public init(_ name: String, expects: String) {
            self.name = name
            self.expects = expects
        }
    }

    public let keys: [Key]
    /// The decoder's own reading of settings: the first problem, or nil.
    private let read: @Sendable (ProtocolSettings) -> SettingProblem?

    public init(keys: [Key], read: @escaping @Sendable (ProtocolSettings) -> SettingProblem? = { _ in nil }) {
        self.keys = keys
        self.read = read
    }

    /// A protocol that takes no settings.
    public static let none = SettingsSchema(keys: [])

    public var names: Set<String> { Set(keys.map(\.name)) }

    /// Everything wrong with `settings`: unknown keys in key order, then the protocol reader's
    /// problems. The reader stops at its first problem, and some settings depend on others (a
    /// read timeout shorter than the poll interval), so it reads all known settings, and again
    /// without each key it found wrong, until it finds nothing more.
    public func problems(in settings: ProtocolSettings, protocolID: String) -> [SettingProblem] {
        let known = names
        var found = settings.keys.sorted().filter { !known.contains($0) }.map { unknown($0, protocolID: protocolID) }
        var remaining = settings.filter { known.contains($0.key) }
        while let problem = read(remaining) {
            found.append(problem)
            // A problem with a key that was not set (a default) cannot be narrowed further.
            guard remaining.removeValue(forKey: problem.key) != nil else { break }
        }
        return found
    }

    private func unknown(_ key: String, protocolID: String) -> SettingProblem {
        if keys.isEmpty {
            return SettingProblem(key: key, message: "\(protocolID) has no setting '\(key)'", expected: "no settings")
        }
        let choices = "one of \(keys.map(\.name).sorted().joined(separator: ", "))"
        return SettingProblem(key: key, message: "unknown setting '\(key)' (\(choices))", expected: choices)
    }
}

/// One setting a protocol does not accept: the key, what is wrong, and what would be right.
public struct SettingProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var key: String
    public var message: String
    public var expected: String

    public init(key: String, message: String, expected: String) {
        self.key = key
        self.message = message
        self.expected = expected
    }

    public var description: String { "\(message); expected \(expected)" }
}
