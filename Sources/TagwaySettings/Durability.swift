/// When a committed event reaches the disk: the `gateway.durability` setting, read by the
/// configuration and obeyed by the event log.
///
/// A value type here, below both, so the configuration does not depend on the log (and SQLite)
/// to name it.
public enum Durability: String, Sendable, CaseIterable {
    /// fsync on every commit: a committed event survives power loss.
    case full
    /// fsync at WAL checkpoints: a committed event survives a crash of the gateway, not of the machine.
    case normal
}
