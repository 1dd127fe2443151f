/// Why the event log could not take or give events. `diskFull` and `unavailable` are transient:
/// the gateway keeps the events it could not write and tries again; nothing is dropped.
public enum EventLogError: Error, Sendable, CustomStringConvertible {
    case diskFull(path: String)
    case unavailable(path: String, message: String)
    case notALog(path: String, message: String)
    case corruptRow(seq: Int64, message: String)

    public var description: String {
        switch self {
        case .diskFull(let path): "\(path): disk full; events are held in memory until space is freed"
        case .unavailable(let path, let message): "\(path): event log unavailable: \(message)"
        case .notALog(let path, let message): "\(path): not a Tagway event log (\(message)); check --data-dir"
        case .corruptRow(let seq, let message): "event seq \(seq) cannot be read: \(message)"
        }
    }
}
