import TagwayDebounce
import TagwayZones

/// The debouncer's and the movement engine's figures at one moment, copied out of the pipeline in
/// one hop for the metrics: the engine already counts them as plain integers on the per-read path,
/// so publishing them costs a scrape, never a read.
public struct PipelineFigures: Sendable, Hashable {
    public var debouncer: DebouncerCounters
    public var movement: MovementCounters
    /// Tag presences the debouncer holds now (one per tag and read point).
    public var presences: Int
    /// Assets the movement engine tracks now.
    public var trackedAssets: Int
    /// Events held in memory because the log refused them.
    public var heldEvents: Int
}

extension Pipeline {
    public var figures: PipelineFigures {
        PipelineFigures(debouncer: engine.debouncer.counters, movement: engine.counters,
                        presences: engine.debouncer.presentCount, trackedAssets: engine.trackedAssets,
                        heldEvents: unwritten.count)
    }
}

extension Pipeline {
    /// Zones of the running configuration (after reloads), for `GET /v1/status`.
    public var zoneCount: Int { engine.configuration.zones.count }
}
