import TagwayIdentity
import TagwayModel

/// One reader's or read point's filter, ready for the per-read path: byte tests first, the
/// asset key only for conditions that need it (and then remembered per tag in a small fixed
/// cache, since a tag in the field is read many times a second), `minReads` in a fixed table.
struct CompiledTagFilter: Sendable {
    let spec: TagFilterSpec
    private let include: [CompiledTagMatch]
    private let exclude: [CompiledTagMatch]
    private let rssiFloor: Int?
    private var window: ReadCountWindow?
    private var listVerdicts: ListVerdictCache?

    init(_ spec: TagFilterSpec) {
        self.spec = spec
        include = spec.include.map(CompiledTagMatch.init)
        exclude = spec.exclude.map(CompiledTagMatch.init)
        rssiFloor = spec.rssiFloor
        window = spec.minReads.flatMap { $0.count > 1 ? ReadCountWindow($0) : nil }
        let needsKey = include.contains(where: \.needsKey) || exclude.contains(where: \.needsKey)
        listVerdicts = needsKey ? ListVerdictCache() : nil
    }

    /// The verdict for a tag read at `time` (milliseconds). The lists come first: a read they
    /// drop is not counted towards `minReads`.
    mutating func judge(_ tag: TagObservation, time: Int64) -> FilterVerdict {
        if !include.isEmpty || !exclude.isEmpty {
            let reason: FilterDropReason?
            if listVerdicts == nil {
                reason = lists(tag)
            } else if let cached = listVerdicts?.lookup(tag) {
                reason = cached
            } else {
                reason = lists(tag)
                listVerdicts?.store(tag, reason)
            }
            if let reason { return .drop(reason) }
        }
        if let rssiFloor, let rssi = tag.rssi, rssi < rssiFloor { return .drop(.rssiFloor) }
        if window != nil, window?.record(tag.id, technology: tag.technology, at: time) == false { return .drop(.minReads) }
        return .pass
    }

    /// The verdict for a scan, by its resolved asset (`asset` is called only when a list needs
    /// it). RSSI and `minReads` do not apply to scans: a scan has no signal strength, and it is
    /// one deliberate read.
    func judgeScan(_ asset: () -> AssetRef) -> FilterVerdict {
        guard !include.isEmpty || !exclude.isEmpty else { return .pass }
        let resolved = asset()
        if exclude.contains(where: { $0.matches(scan: resolved) }) { return .drop(.excluded) }
        if !include.isEmpty, !include.contains(where: { $0.matches(scan: resolved) }) { return .drop(.notIncluded) }
        return .pass
    }

    private func lists(_ tag: TagObservation) -> FilterDropReason? {
        var key = LazyAssetKey(tag: tag)
        for entry in exclude where entry.matches(tag, key: &key) { return .excluded }
        guard !include.isEmpty else { return nil }
        for entry in include where entry.matches(tag, key: &key) { return nil }
        return .notIncluded
    }
}

/// The include/exclude outcome of tags whose lists needed the asset key, direct-mapped by the
/// tag's hash: a repeat read of a tag costs a compare instead of a parse. The outcome depends on
/// the id, the technology and the PC word (which can turn an EPC into a raw key), all in the key.
/// Ids longer than 16 bytes are not cached (their leading words do not tell them apart).
struct ListVerdictCache: Sendable {
    static let slots = 1_024
    private var keys: [(UInt64, UInt64, UInt64)] = Array(repeating: (0, 0, 0), count: slots)
    /// 0: empty; 1: kept; 2 + reason index: dropped.
    private var outcomes: [UInt8] = Array(repeating: 0, count: slots)

    private static func key(_ tag: TagObservation) -> (UInt64, UInt64, UInt64)? {
        guard tag.id.count <= TagID.compactCapacity else { return nil }
        let words = tag.id.leadingWords
        let technology: UInt64 = switch tag.technology {
        case .epcGen2: 0
        case .em4100: 1
        case .iso14443a: 2
        }
        let pc = tag.pc.map { UInt64($0) | 1 << 16 } ?? 0
        return (words.0, words.1, UInt64(tag.id.count) | technology << 8 | pc << 16)
    }

    private static func slot(_ key: (UInt64, UInt64, UInt64)) -> Int {
        var h = key.0 ^ key.1 &* 0x9E37_79B9_7F4A_7C15 ^ key.2 &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
        h &*= 0x94D0_49BB_1331_11EB
        h ^= h >> 32
        return Int(truncatingIfNeeded: h) & (slots - 1)
    }

    /// `.some(nil)`: known to pass; `.some(reason)`: known to drop; nil: not known.
    func lookup(_ tag: TagObservation) -> FilterDropReason?? {
        guard let key = Self.key(tag) else { return nil }
        let slot = Self.slot(key)
        guard outcomes[slot] != 0, keys[slot] == key else { return nil }
        if outcomes[slot] == 1 { return .some(nil) }
        return .some(FilterDropReason.allCases[Int(outcomes[slot]) - 2])
    }

    mutating func store(_ tag: TagObservation, _ reason: FilterDropReason?) {
        guard let key = Self.key(tag) else { return }
        let slot = Self.slot(key)
        keys[slot] = key
        outcomes[slot] = reason.map { UInt8(2 + $0.index) } ?? 1
    }
}
