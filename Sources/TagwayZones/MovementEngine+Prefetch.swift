import TagwayDebounce
import TagwayModel

/// Hints for the reads to come: a driver that holds a batch of reads (a report's tags) tells the
/// engine about the next ones while it takes this one, and their state is in the cache when they
/// come. They change nothing (`EnginePrefetchTests`).
extension MovementEngine {
    /// Whether `prefetch(_:readsAhead:)` is worth asking for now (see `Debouncer.prefetchPays`): a driver
    /// checks it once per batch of reads.
    public var prefetchPays: Bool { debouncer.prefetchPays }

    /// How many reads ahead a driver gives `prefetch(_:readsAhead:)`.
    public static let prefetchDistance = 4

    /// A hint for the read that will be ingested `readsAhead` reads from now (1 to
    /// `prefetchDistance`), which changes nothing: starts loading into the cache what that read
    /// will touch, one step per distance, each step's addresses read from what the step before
    /// loaded (see `Debouncer.prefetch(_:_:)`). Four reads ahead, the tag index's bucket; three,
    /// the tag's entry; two, the tag's presence slot read last and its asset entry; one, the slot's
    /// neighbours in the recency order and the asset's in its recency list. With hundreds of
    /// thousands of assets each of these is a cache miss that the read would otherwise wait for
    /// in turn.
    public func prefetch(_ read: borrowing Read, readsAhead: Int) {
        switch readsAhead {
        case 4: debouncer.prefetch(read, .bucket)
        case 3: debouncer.prefetch(read, .tag)
        case 2:
            guard case .owner(let owner) = debouncer.prefetch(read, .slot) else { return }
            assets.prefetch(owner.index)
        case 1:
            guard case .slot(let slot) = debouncer.prefetch(read, .links), let owner = debouncer.owner(slot) else { return }
            assets.prefetchLinks(owner.index)
        default: return
        }
    }
}
