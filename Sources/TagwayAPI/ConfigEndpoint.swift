import Crypto
import Foundation
import TagwayModel

/// What the config routes need from the gateway: the file and the configuration in force, a
/// check of proposed text with the same loader `tagway check-config` uses, and an apply that
/// writes and reloads through the same path as SIGHUP. The API does not read YAML itself.
public protocol ConfigEndpoint: Sendable {
    /// `GET /v1/config`.
    func current() async throws(ConfigApplyError) -> ConfigView
    /// `POST /v1/config/check`: never writes.
    func check(_ text: Data) async -> ConfigCheck
    /// `PUT /v1/config`: checks, compares `ifMatch` with the file's etag, writes, reloads.
    /// `by` is the token name, `client` the client's address, for the log.
    func apply(_ text: Data, ifMatch: String?, by: String, client: String) async throws(ConfigApplyError) -> ConfigApplied
}

/// One located problem, as `ConfigError` has it (the API does not depend on the config target).
public struct ConfigIssue: Sendable, Hashable {
    public var line: Int
    public var column: Int
    public var key: String
    public var message: String
    public var expected: String?

    public init(line: Int, column: Int, key: String, message: String, expected: String? = nil) {
        self.line = line
        self.column = column
        self.key = key
        self.message = message
        self.expected = expected
    }

    var json: String {
        var w = JSONObjectWriter()
        w.number("line", Int64(line))
        w.number("column", Int64(column))
        w.string("key", key)
        w.string("message", message)
        if let expected { w.string("expected", expected) } else { w.raw("expected", "null") }
        return w.finish()
    }
}

/// The outcome of checking proposed configuration text.
public enum ConfigCheck: Sendable, Hashable {
    /// Valid: the first line `check-config` prints, and the warnings.
    case valid(summary: String, warnings: [ConfigIssue])
    /// Not valid: every error, and exactly what `check-config` prints for them.
    case invalid(errors: [ConfigIssue], text: String)

    /// 200 `{"ok":true,…}` or 422 `{"ok":false,…}`.
    var json: String {
        var w = JSONObjectWriter()
        switch self {
        case .valid(let summary, let warnings):
            w.bool("ok", true)
            w.string("summary", summary)
            w.raw("warnings", "[" + warnings.map(\.json).joined(separator: ",") + "]")
        case .invalid(let errors, let text):
            w.bool("ok", false)
            w.raw("errors", "[" + errors.map(\.json).joined(separator: ",") + "]")
            w.string("text", text)
        }
        return w.finish()
    }
}

/// `GET /v1/config`: the file as it is on disk now, and the configuration in force.
public struct ConfigView: Sendable {
    /// The absolute path of the configuration file.
    public var file: String
    /// The file's bytes (the etag is computed from them).
    public var bytes: Data
    /// A JSON object: gateway, readPoints, zones, rules, movement (built by the gateway).
    public var runningJSON: String
    /// Numbered backups beside the file, oldest first.
    public var backups: [String]

    public init(file: String, bytes: Data, runningJSON: String, backups: [String]) {
        self.file = file
        self.bytes = bytes
        self.runningJSON = runningJSON
        self.backups = backups
    }

    var json: String {
        var w = JSONObjectWriter()
        w.string("file", file)
        w.string("etag", ConfigETag.of(bytes))
        w.string("yaml", String(decoding: bytes, as: UTF8.self))
        w.raw("running", runningJSON)
        w.raw("backups", ZoneDirectory.array(backups))
        return w.finish()
    }
}

/// `PUT /v1/config`'s answer once the file is written and reloaded.
public struct ConfigApplied: Sendable, Hashable {
    /// The backup's file name (nil when there was no file before).
    public var backup: String?
    public var etag: String
    /// What changed, as sentences (`zone dock-2 added`).
    public var changes: [String]
    /// Settings written but in force only after a restart.
    public var restartNeeded: [String]
    /// The reloader's summary, as logged.
    public var reload: String

    public init(backup: String?, etag: String, changes: [String], restartNeeded: [String], reload: String) {
        self.backup = backup
        self.etag = etag
        self.changes = changes
        self.restartNeeded = restartNeeded
        self.reload = reload
    }

    var json: String {
        var w = JSONObjectWriter()
        w.bool("applied", true)
        if let backup { w.string("backup", backup) } else { w.raw("backup", "null") }
        w.string("etag", etag)
        w.raw("changes", ZoneDirectory.array(changes))
        w.raw("restartNeeded", ZoneDirectory.array(restartNeeded))
        w.string("reload", reload)
        return w.finish()
    }
}

/// Why an apply wrote nothing.
public enum ConfigApplyError: Error, Sendable {
    /// The text does not check (422).
    case invalid(ConfigCheck)
    /// `If-Match` names another version than the file's (412); the file's etag now.
    case stale(current: String)
    /// The file could not be read or replaced (500): the path and the system's reason.
    case file(String)
}

/// Strong validators of configuration text: the SHA-256 of its bytes, quoted (RFC 9110 §8.8.3).
public enum ConfigETag {
    public static func of(_ bytes: Data) -> String {
        "\"" + SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined() + "\""
    }

    /// Whether an `If-Match` header value admits the version `etag` (`*`, or one of a list;
    /// a weak validator never matches, as RFC 9110 §13.1.1 asks for If-Match).
    public static func matches(_ header: String, _ etag: String) -> Bool {
        let candidates = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return candidates.contains("*") || candidates.contains(etag)
    }
}
