/// Settings from a device profile's `settings:` map that a protocol understands.
public typealias ProtocolOptions = [String: String]

/// A protocol option with a value the protocol does not accept.
public struct ProtocolOptionError: Error, Sendable, CustomStringConvertible {
    public var key: String
    public var value: String
    public var expected: String

    public init(key: String, value: String, expected: String) {
        self.key = key
        self.value = value
        self.expected = expected
    }

    public var description: String { "setting '\(key)' is '\(value)'; expected \(expected)" }
}
