import TagwayModel

/// What the filter step decided about one read.
public enum FilterVerdict: Sendable, Hashable {
    /// It goes on to the movement engine.
    case pass
    /// It is dropped and counted under `reason`.
    case drop(FilterDropReason)
    /// A declared reference tag: counted as a reference read, never an event.
    case reference
}

/// Why a filter dropped a read: the label of the counts in status and metrics.
public enum FilterDropReason: String, Sendable, Hashable, CaseIterable {
    /// It matched an `exclude` entry.
    case excluded
    /// `include` is given and it matched no entry.
    case notIncluded = "not-included"
    /// Its RSSI was below `rssiFloor`.
    case rssiFloor = "rssi-floor"
    /// Its tag had not yet been read `minReads.count` times within `minReads.within`.
    case minReads = "min-reads"

    var index: Int {
        switch self {
        case .excluded: 0
        case .notIncluded: 1
        case .rssiFloor: 2
        case .minReads: 3
        }
    }
}

/// Reads a filter step dropped, by reason, and reference reads: plain counters, added per batch.
public struct FilterCounts: Sendable, Hashable {
    public private(set) var dropped: [Int] = Array(repeating: 0, count: FilterDropReason.allCases.count)
    public var referenceReads = 0

    public init() {}

    public subscript(reason: FilterDropReason) -> Int {
        get { dropped[reason.index] }
        set { dropped[reason.index] = newValue }
    }

    public var isZero: Bool { referenceReads == 0 && dropped.allSatisfy { $0 == 0 } }
    public var totalDropped: Int { dropped.reduce(0) { $0.saturatingAdd($1) } }

    public mutating func add(_ other: FilterCounts) {
        for index in dropped.indices { dropped[index] = dropped[index].saturatingAdd(other.dropped[index]) }
        referenceReads = referenceReads.saturatingAdd(other.referenceReads)
    }
}
