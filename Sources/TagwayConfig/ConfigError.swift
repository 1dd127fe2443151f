/// A configuration problem located in its file: `file:line:column: key: what is wrong; expected what`.
///
/// Facilities teams edit these files by hand; an error that names the line and says what would be
/// right saves a call to whoever installed the gateway.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var key: String
    public var message: String
    public var expected: String?

    public init(file: String, line: Int, column: Int, key: String, message: String, expected: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.message = message
        self.expected = expected
    }

    public var description: String {
        var text = "\(file):\(line):\(column): "
        if !key.isEmpty { text += "\(key): " }
        text += message
        if let expected { text += "; expected \(expected)" }
        return text
    }
}

/// Every problem found in one pass over a file (and the profiles it uses), so a user fixes them
/// all in one edit instead of one per restart.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigError]

    public init(_ errors: [ConfigError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Collects errors while a file is read; readers keep going after an error to find the next.
final class Diagnostics {
    private(set) var errors: [ConfigError] = []
    /// Things that work but should not be left so (a secret written into the file); printed by
    /// `check-config` and logged at start and reload, never a reason to refuse the file.
    private(set) var warnings: [ConfigError] = []

    func report(_ error: ConfigError) { errors.append(error) }

    func warn(_ warning: ConfigError) { warnings.append(warning) }

    func check() throws(ConfigErrors) {
        if !errors.isEmpty { throw ConfigErrors(errors) }
    }
}
