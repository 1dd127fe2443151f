/// One transaction of the log's group commit, as the metrics see it: how many events it wrote
/// (0 for a write of asset rows alone) and how long the transaction took, from its start to its
/// commit (with `durability: full`, the fsync included).
public struct CommitFigures: Sendable, Hashable {
    public var events: Int
    public var duration: Duration

    public init(events: Int, duration: Duration) {
        self.events = events
        self.duration = duration
    }
}

/// Called once per committed transaction, on the committer's task: it must be quick and must not
/// touch the log. Once per transaction, not per event, so group commit keeps its cost.
public typealias CommitObserver = @Sendable (CommitFigures) -> Void
