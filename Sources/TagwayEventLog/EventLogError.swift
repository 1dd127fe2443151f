/// Why the event log could not take or give events.
///
/// `diskFull` and `unavailable` are transient: the gateway keeps the events it could not write
/// and tries again. The others mean no retry can succeed (`isFatal`): the gateway stops loudly
/// rather than hold events it can never write, and the text says what the operator should do.
public enum EventLogError: Error, Sendable, CustomStringConvertible {
    case diskFull(path: String)
    case unavailable(path: String, message: String)
    case notALog(path: String, message: String)
    case corruptRow(seq: Int64, message: String)
    /// An `assets` row with a value the schema cannot mean (damage SQLite's page checks miss).
    case corruptAsset(tag: String, message: String)
    /// SQLite found damage (at the start check or on a read or write of the damaged part).
    case damaged(path: String, detail: String)
    /// The log (or its directory, or its WAL) cannot be written: found at start by a real write.
    case notWritable(path: String, message: String)
    /// The file at `path` is no longer the one the gateway opened (deleted, or replaced):
    /// writing on would put events into a file nobody can ever read again.
    case replaced(path: String, detail: String)

    /// True when retrying cannot help: the gateway must stop instead of holding events.
    public var isFatal: Bool {
        switch self {
        case .diskFull, .unavailable, .corruptRow, .corruptAsset: false
        case .notALog, .damaged, .notWritable, .replaced: true
        }
    }

    public var description: String {
        switch self {
        case .diskFull(let path): "\(path): disk full; events are held in memory until space is freed"
        case .unavailable(let path, let message): "\(path): event log unavailable: \(message)"
        case .notALog(let path, let message):
            "\(path): not a Tagway event log, or its header is damaged (\(message)); check --data-dir. "
                + Self.keepAside(path)
        case .corruptRow(let seq, let message): "event seq \(seq) cannot be read: \(message)"
        case .corruptAsset(let tag, let message): "the asset state row of tag \(tag) cannot be read: \(message)"
        case .damaged(let path, let detail):
            "\(path): the event log is damaged (\(detail)). " + Self.keepAside(path)
        case .notWritable(let path, let message):
            "\(path): the event log cannot be written (\(message)); make the data directory, the log and its "
                + "-wal/-shm files writable by the gateway's user (is the file system read-only or full?)"
        case .replaced(let path, let detail):
            "\(path): the event log file was \(detail) while the gateway had it open; stopping so no event is "
                + "written into a file that is gone (restart to open the file now at this path)"
        }
    }

    /// What to do with a damaged file. Tagway never moves or deletes it: the events in it may
    /// still be recoverable, and only the operator knows whether they matter.
    private static func keepAside(_ path: String) -> String {
        "Tagway has not changed the file. To keep it and start a new log: stop the gateway, "
            + "`mv \(path) \(path).damaged-$(date +%Y%m%dT%H%M%S)` (with its -wal and -shm files if present), "
            + "then start again; to get back what is readable: `sqlite3 <moved file> .recover > recovered.sql`."
    }
}
