import TagwayDebounce
import TagwayFilters
import TagwayModel
import TagwayZones

extension Pipeline {
    /// Swaps the filters and reference tags for a reloaded configuration's, as `reconfigure`
    /// swaps zones: a filter whose settings did not change keeps its `minReads` counts, and a
    /// reference tag declared the same way keeps when it was last read.
    public func reconfigureFilters(_ filters: FilterConfiguration) {
        filterBank = Self.filterBank(filters, engine: &engine, at: now(), previous: filterBank)
        health.filters.publish(filterBank.referenceStates)
    }

    /// The bank for `filters`, with the engine's indices of the readers and read points it names.
    static func filterBank(_ filters: FilterConfiguration, engine: inout MovementEngine, at time: Timestamp,
                           previous: TagFilterBank?) -> TagFilterBank {
        guard !filters.isEmpty else { return TagFilterBank() }
        var readers: [String: UInt16] = [:]
        var points: [String: Int32] = [:]
        for name in Set(filters.readers.keys).union(filters.referenceTags.map(\.reader)) { readers[name] = engine.reader(named: name) }
        for name in Set(filters.readPoints.keys).union(filters.referenceTags.compactMap(\.readPoint)) {
            points[name] = engine.readPoint(named: name)
        }
        return TagFilterBank(filters, reader: { readers[$0] ?? Read.noReader }, readPoint: { points[$0] ?? -1 }, at: time,
                             previous: previous)
    }

    /// After a batch: what the filters counted goes to the board (once per batch, and only when
    /// there is something).
    func publishFilterFigures(reader: String) {
        if !filterBank.counts.isZero { health.filters.add(filterBank.takeCounts(), reader: reader) }
        if let states = filterBank.takeReferenceStates() { health.filters.publish(states) }
    }
}
