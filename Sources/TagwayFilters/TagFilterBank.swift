import TagwayModel

/// Every compiled filter and reference tag of a configuration, found by the movement engine's
/// reader and read point indices (array lookups: no string is hashed per read), with the counts
/// of what they dropped since the pipeline last took them.
///
/// A read is judged by its reader's filter, then by its read point's. Reference tags come
/// first: a reference tag's read is never an event, wherever it is read.
public struct TagFilterBank: Sendable {
    private var filters: [CompiledTagFilter] = []
    /// Filter index by reader index, and by read point index; -1: none.
    private var byReader: [Int32] = []
    private var byReadPoint: [Int32] = []
    private var references = ReferenceTagWatch()
    /// False when nothing is configured: the pipeline skips the step.
    public let isActive: Bool
    /// Counts since the last `takeCounts()`.
    public private(set) var counts = FilterCounts()
    /// Set when a reference tag was read since the last `takeReferenceStates()`.
    public private(set) var referencesRead = false

    /// No filter, no reference tag.
    public init() { isActive = false }

    /// `reader` and `readPoint` give the engine's index of a name (registering it). `previous`:
    /// the bank being replaced by a reload; a filter whose settings did not change keeps its
    /// `minReads` counts, and a reference tag declared the same way keeps what was seen of it.
    public init(_ configuration: FilterConfiguration, reader: (String) -> UInt16, readPoint: (String) -> Int32,
                at time: Timestamp, previous: TagFilterBank? = nil) {
        var kept = previous?.filters ?? []
        func compiled(_ spec: TagFilterSpec) -> CompiledTagFilter {
            if let index = kept.firstIndex(where: { $0.spec == spec }) { return kept.remove(at: index) }
            return CompiledTagFilter(spec)
        }
        for (name, spec) in configuration.readers.sorted(by: { $0.key < $1.key }) where !spec.isEmpty {
            Self.place(Int(reader(name)), Int32(filters.count), in: &byReader)
            filters.append(compiled(spec))
        }
        for (name, spec) in configuration.readPoints.sorted(by: { $0.key < $1.key }) where !spec.isEmpty {
            Self.place(Int(readPoint(name)), Int32(filters.count), in: &byReadPoint)
            filters.append(compiled(spec))
        }
        references = ReferenceTagWatch(configuration.referenceTags, reader: reader, readPoint: readPoint, at: time,
                                       previous: previous?.referenceStates ?? [])
        isActive = !filters.isEmpty || !references.isEmpty
    }

    private static func place(_ index: Int, _ filter: Int32, in table: inout [Int32]) {
        guard index >= 0, index < Int(UInt16.max) * 16 else { return }
        if table.count <= index { table.append(contentsOf: repeatElement(-1, count: index + 1 - table.count)) }
        table[index] = filter
    }

    /// The verdict for a tag read at `readPoint` of `reader`, counted.
    public mutating func judge(_ tag: TagObservation, reader: UInt16, readPoint: Int32, time: Timestamp) -> FilterVerdict {
        if !references.isEmpty, references.read(tag.id, reader: reader, readPoint: readPoint, time: time) {
            counts.referenceReads &+= 1
            referencesRead = true
            return .reference
        }
        // Two lookups written out: a literal array of the two would be an allocation per read.
        let byReaderFilter = Self.filter(in: byReader, Int(reader))
        if byReaderFilter >= 0, case .drop(let reason) = filters[Int(byReaderFilter)].judge(tag, time: time.milliseconds) {
            counts[reason] &+= 1
            return .drop(reason)
        }
        let byPointFilter = Self.filter(in: byReadPoint, Int(readPoint))
        if byPointFilter >= 0, case .drop(let reason) = filters[Int(byPointFilter)].judge(tag, time: time.milliseconds) {
            counts[reason] &+= 1
            return .drop(reason)
        }
        return .pass
    }

    /// The verdict for a scan at `readPoint` of `reader`, counted; `asset` resolves the scan
    /// only when a list needs it.
    public mutating func judgeScan(reader: UInt16, readPoint: Int32, asset: () -> AssetRef) -> FilterVerdict {
        var resolved: AssetRef?
        for filter in [Self.filter(in: byReader, Int(reader)), Self.filter(in: byReadPoint, Int(readPoint))] where filter >= 0 {
            // Scans are few (a person scans), so the array and the resolution's strings cost nothing that matters.
            let verdict = filters[Int(filter)].judgeScan {
                if let resolved { return resolved }
                let made = asset()
                resolved = made
                return made
            }
            if case .drop(let reason) = verdict {
                counts[reason] &+= 1
                return verdict
            }
        }
        return .pass
    }

    @inline(__always)
    private static func filter(in table: [Int32], _ index: Int) -> Int32 {
        index >= 0 && index < table.count ? table[index] : -1
    }

    /// The counts since the last call, zeroed.
    public mutating func takeCounts() -> FilterCounts {
        defer { counts = FilterCounts() }
        return counts
    }

    /// Every reference tag's state.
    public var referenceStates: [ReferenceTagState] { references.states }

    /// The reference tags' states when one was read since the last call, else nil.
    public mutating func takeReferenceStates() -> [ReferenceTagState]? {
        guard referencesRead else { return nil }
        referencesRead = false
        return references.states
    }
}
