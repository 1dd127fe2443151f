import TagwayConfig

/// How a reload's `sinks:` differs from the running ones, by sink id: pure, so the decision is
/// tested apart from the workers it starts and stops.
public struct SinkReloadPlan: Sendable, Equatable {
    /// Ids in the new configuration's order, each kept (identical settings) or started (new or changed).
    public var order: [String]
    public var added: [String]
    public var removed: [String]
    public var changed: [String]

    public init(running: [SinkConfig], loaded: [SinkConfig]) {
        let before = Dictionary(running.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let now = Set(loaded.map(\.id))
        order = loaded.map(\.id)
        added = loaded.filter { before[$0.id] == nil }.map(\.id)
        changed = loaded.filter { config in before[config.id].map { $0 != config } ?? false }.map(\.id)
        removed = running.map(\.id).filter { !now.contains($0) }
    }

    /// Ids that need a new worker (added or changed).
    public var starting: Set<String> { Set(added + changed) }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    /// "added a, b; removed c; changed d", or "unchanged".
    public var summary: String {
        let parts = [("added", added), ("removed", removed), ("changed", changed)]
            .filter { !$0.1.isEmpty }.map { "\($0.0) \($0.1.joined(separator: ", "))" }
        return parts.isEmpty ? "unchanged" : parts.joined(separator: "; ")
    }
}
