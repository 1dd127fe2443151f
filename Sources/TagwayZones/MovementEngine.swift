import TagwayDebounce
import TagwayModel

/// Turns reads and scans into movements: `arrived`, `moved`, `departed`, `passed` (door
/// crossings), `observed` (scans) and geofence `alert`s.
///
/// A pure state machine, like the debouncer it owns: reads and the time come in, events are
/// appended to the caller's array, nothing sleeps or reads a clock. Each asset has one anchor
/// read point, the one with the best evidence; its zone is the asset's zone. A read at another
/// read point takes the asset only when `Evidence` says so, which is what keeps overlapping
/// antennas from flapping an asset between neighbouring zones.
///
/// Memory is fixed at construction (`maxAssets` assets, the debouncer's own bounds); in steady
/// state a read allocates nothing.
public struct MovementEngine: Sendable {
    public internal(set) var configuration: MovementConfiguration
    public internal(set) var counters = MovementCounters()
    public private(set) var debouncer: Debouncer

    var map: ZoneMap
    var evidence: Evidence
    var assets: AssetTable
    var departAfterMs: Int64
    let arriveAfterReads: Int32
    var clock: Int64 = .min
    private var sightings: [Sighting] = []
    private var readPointNames: [String] = []
    private(set) var readPointIndex: [String: Int32] = [:]
    private var readerNames: [String] = []
    private var readerIndex: [String: UInt16] = [:]

    public init(configuration: MovementConfiguration = MovementConfiguration(),
                debounce: DebouncerConfiguration = DebouncerConfiguration(), readPoints: [String] = []) {
        precondition(configuration.settings.problems.isEmpty, configuration.settings.problems.joined(separator: "; "))
        self.configuration = configuration
        // The engine keeps reads, peak and reader per asset, and reads only the window figures.
        debouncer = Debouncer(configuration: debounce, keepsTotals: false)
        map = ZoneMap(configuration, readPoints: [])
        evidence = Evidence(configuration.settings)
        assets = AssetTable(capacity: configuration.settings.maxAssets)
        departAfterMs = configuration.settings.departAfter.wholeMilliseconds
        arriveAfterReads = Int32(clamping: debounce.arriveAfterReads)
        sightings.reserveCapacity(64)
        for point in readPoints { _ = readPoint(named: point) }
    }

    // MARK: names

    /// The index of a read point, registering it (in its configured zone, or a zone of its own).
    public mutating func readPoint(named name: String) -> Int32 {
        if let index = readPointIndex[name] { return index }
        let index = Int32(readPointNames.count)
        readPointNames.append(name)
        readPointIndex[name] = index
        map.addReadPoint(name)
        return index
    }

    public func readPointName(_ index: Int32) -> String {
        readPointNames.indices.contains(Int(index)) ? readPointNames[Int(index)] : "read-point-\(index)"
    }

    /// The index of a reader for `Read.reader`, registering it: reads carry two bytes, and only
    /// an event is given the name back (`readerName`). Past 65,535 readers, `Read.noReader`.
    public mutating func reader(named name: String) -> UInt16 {
        if let index = readerIndex[name] { return index }
        guard readerNames.count < Int(Read.noReader) else { return Read.noReader }
        let index = UInt16(readerNames.count)
        readerNames.append(name)
        readerIndex[name] = index
        return index
    }

    /// The name of an interned reader; nil for `Read.noReader` and indices never interned.
    public func readerName(_ index: UInt16) -> String? {
        readerNames.indices.contains(Int(index)) ? readerNames[Int(index)] : nil
    }

    public func zoneID(_ zone: Int16) -> String? { zone >= 0 ? map.zoneIDs[Int(zone)] : nil }
    public func ruleID(_ rule: Int16) -> String? { rule >= 0 ? map.rules[Int(rule)].id : nil }
    public var trackedAssets: Int { assets.count }

    /// The zone an asset is in now, by zone id; nil when it is not tracked.
    public func zone(of tag: TagID) -> String? {
        guard let asset = assets.lookup(tag) else { return nil }
        return zoneID(assets[asset].zone)
    }

    /// What kind of tag `tag` is: as its asset (nil for a scanned one), else as its latest read at
    /// the read point `readPoint` names; nil when neither knows it.
    public func technology(of tag: TagID, at readPoint: String? = nil) -> TagObservation.Technology? {
        if let asset = assets.lookup(tag) { return assets[asset].isScan ? nil : assets[asset].technology }
        guard let point = readPoint.flatMap({ readPointIndex[$0] }) else { return nil }
        return debouncer.technology(of: tag, at: point)
    }

    /// When `advance(to:)` would next report a departure, so a driver sleeps exactly until then.
    public var nextDeadline: Timestamp? {
        guard let head = assets.head(1) else { return nil }
        return Timestamp(milliseconds: assets[head].lastRead.saturatingAdd(departAfterMs))
    }

    // MARK: input

    /// Takes one RFID read. `identify` names a new asset for rule matching; it is called only for
    /// assets not yet tracked, and only when rules are configured.
    public mutating func ingest(_ read: Read, into events: inout [ZoneEvent], identify: (TagID) -> AssetRef) {
        assets.makeUnique()
        let now = advanceClock(read.time.milliseconds, into: &events)
        counters.reads += 1
        ensureReadPoint(read.readPoint)
        if !sightings.isEmpty { sightings.removeAll(keepingCapacity: true) }
        let slot = debouncer.ingest(read, into: &sightings)
        let point = read.readPoint
        guard let asset = asset(of: read.tag, at: slot) else {
            guard let stats = debouncer.evidence(slot), stats.windowReads >= arriveAfterReads else { return }
            let asset = admit(read.tag, isScan: false, list: 1, now: now, into: &events)
            debouncer.setOwner(slot, to: assets.owner(asset))
            assets[asset].technology = read.technology
            resolveRules(asset, identify: identify)
            place(asset, point: point, slot: slot, reader: read.reader, now: now, reads: stats.windowReads, rssi: read.rssi,
                  into: &events)
            return
        }
        if assets.readAtAnchor(asset, point: point, slot: slot, reader: read.reader, rssi: read.rssi, at: now) { return }
        assets.touch(asset, at: now)
        if assets[asset].list != 1 { assets.setList(asset, 1) }
        if !assets[asset].rulesResolved { resolveRules(asset, identify: identify) }
        let state = assets[asset]
        if point == state.anchorPoint, slot == state.anchorSlot {
            assets[asset].lastSeenInZone = now
            // Readers sharing the read point: the anchor's reader is the one that read it last.
            if state.reader != read.reader { assets[asset].reader = read.reader }
            record(asset, rssi: read.rssi)
            if state.reportedSide != 0 { updateLean(asset, point: point, slot: slot) }
            return
        }
        let zone = map.pointZone[Int(point)]
        guard let candidate = debouncer.evidence(slot) else { return }
        // From another zone, a candidate short of `moveAfterReads` cannot win (the rule's first
        // test): decided before the anchor's slot is read, which on a large site is a cache miss
        // on most reads.
        if zone != state.zone, candidate.windowReads < evidence.moveAfterReads { return }
        let current = state.anchorSlot.flatMap { debouncer.evidence($0) }
        if zone == state.zone {
            assets[asset].lastSeenInZone = now
            record(asset, rssi: read.rssi)
            if state.reportedSide != 0 { updateLean(asset, point: point, slot: slot) }
            let silent = current.map { now - $0.lastSeen } ?? .max
            if evidence.candidateWins(candidate, over: current, silentMs: silent, minReads: 1) {
                switchAnchor(asset, point: point, slot: slot, reader: read.reader, now: now, into: &events)
            }
        } else if evidence.candidateWins(candidate, over: current, silentMs: now - state.lastSeenInZone,
                                         minReads: evidence.moveAfterReads) {
            place(asset, point: point, slot: slot, reader: read.reader, now: now, reads: candidate.windowReads, rssi: read.rssi,
                  into: &events)
        }
    }

    /// Takes one barcode scan (`code` is the scan's key). Reports `observed` unless the debouncer
    /// holds it off; at a `mode: scan` zone the asset is also placed there at once. `reader` is
    /// the scanner, as `reader(named:)` interned it.
    public mutating func ingestScan(readPoint point: Int32, code: TagID, time: Timestamp, reader: UInt16 = Read.noReader,
                                    into events: inout [ZoneEvent], identify: (TagID) -> AssetRef) {
        assets.makeUnique()
        let now = advanceClock(time.milliseconds, into: &events)
        counters.scans += 1
        ensureReadPoint(point)
        if !sightings.isEmpty { sightings.removeAll(keepingCapacity: true) }
        debouncer.ingestScan(readPoint: point, code: code, time: time, reader: reader, into: &sightings)
        guard sightings.contains(where: { $0.kind == .observed }) else { return }
        let zone = map.pointZone[Int(point)]
        var observed = ZoneEvent(type: .observed, tag: code, isScan: true, time: Timestamp(milliseconds: now))
        observed.to = zone
        observed.readPoint = point
        observed.reader = reader
        observed.reads = 1
        events.append(observed)
        counters.count(.observed)
        guard map.modes[Int(zone)] == .scan else { return }
        let asset: Int32
        if let known = assets.lookup(code) {
            asset = known
            assets.setList(asset, 2)
            assets.touch(asset, at: now)
        } else {
            asset = admit(code, isScan: true, list: 2, now: now, into: &events)
        }
        if !assets[asset].rulesResolved { resolveRules(asset, identify: identify) }
        if assets[asset].zone != zone {
            place(asset, point: point, slot: nil, reader: reader, now: now, reads: 1, rssi: nil, into: &events)
        }
        assets[asset].lastSeenInZone = now
    }

    /// Moves time forward with no read, reporting departures that fell due.
    public mutating func advance(to time: Timestamp, into events: inout [ZoneEvent]) {
        assets.makeUnique()
        _ = advanceClock(time.milliseconds, into: &events)
        if !sightings.isEmpty { sightings.removeAll(keepingCapacity: true) }
        debouncer.advance(to: Timestamp(milliseconds: clock), into: &sightings)
    }

    // MARK: internals

    /// Time never runs backwards: a read stamped earlier than one already seen is taken as
    /// happening at the latest time seen, so every asset's events stay in time order. Per read
    /// this is a compare and a look at the least recently read asset; the departures themselves
    /// (rare, and they build events) are out of line.
    @inline(__always)
    private mutating func advanceClock(_ time: Int64, into events: inout [ZoneEvent]) -> Int64 {
        if time > clock { clock = time }
        let now = clock
        if let head = assets.head(1), assets[head].lastRead.saturatingAdd(departAfterMs) <= now {
            departDue(now: now, into: &events)
        }
        return now
    }

    @inline(never)
    private mutating func departDue(now: Int64, into events: inout [ZoneEvent]) {
        while let head = assets.head(1) {
            let due = assets[head].lastRead.saturatingAdd(departAfterMs)
            guard due <= now else { break }
            depart(head, time: due, cause: assets[head].restored ? .notSeenSinceRestart : .silent, into: &events)
        }
    }

    /// The asset behind a presence: the one the debouncer keeps as the slot's owner while it is
    /// still that asset, else the tag's asset by hash (then kept as the owner for the next read).
    @inline(__always)
    private mutating func asset(of tag: TagID, at slot: PresenceSlot) -> Int32? {
        if let owner = debouncer.owner(slot), let asset = assets.current(owner, holding: tag) { return asset }
        return adopt(tag, at: slot)
    }

    @inline(never)
    private mutating func adopt(_ tag: TagID, at slot: PresenceSlot) -> Int32? {
        guard let asset = assets.lookup(tag) else { return nil }
        debouncer.setOwner(slot, to: assets.owner(asset))
        return asset
    }

    /// Per read: the common case (a known read point) must stay a compare, so the naming of
    /// unknown ones is out of line.
    @inline(__always)
    private mutating func ensureReadPoint(_ point: Int32) {
        if Int(point) >= readPointNames.count { nameReadPoints(upTo: point) }
    }

    @inline(never)
    private mutating func nameReadPoints(upTo point: Int32) {
        while readPointNames.count <= Int(point) { _ = readPoint(named: "read-point-\(readPointNames.count)") }
    }

    private mutating func admit(_ tag: TagID, isScan: Bool, list: UInt8, now: Int64, into events: inout [ZoneEvent]) -> Int32 {
        if assets.isFull {
            let present = assets.head(1), stationed = assets.head(2)
            let victim: Int32?
            switch (present, stationed) {
            case let (p?, s?): victim = assets[p].lastRead <= assets[s].lastRead ? p : s
            case let (p, s): victim = p ?? s
            }
            if let victim {
                counters.evictions += 1
                depart(victim, time: now, cause: .evicted, into: &events)
            }
        }
        return assets.insert(tag, isScan: isScan, list: list, at: now)
    }

    @inline(__always)
    mutating func record(_ asset: Int32, rssi: Int?) {
        assets[asset].reads &+= 1
        if let rssi, Int16(clamping: rssi) > assets[asset].peak { assets[asset].peak = Int16(clamping: rssi) }
    }

    mutating func resolveRules(_ asset: Int32, identify: (TagID) -> AssetRef) {
        assets[asset].rulesResolved = true
        guard !map.rules.isEmpty else { return }
        let ref = identify(assets.tag(asset))
        var bits: UInt64 = 0
        for (r, rule) in map.rules.enumerated() where rule.match.matches(ref) { bits |= 1 << UInt64(r) }
        assets[asset].rules = bits
        if bits == 0 { counters.unmatchedAssets += 1 }
        // Already somewhere (a reload re-resolves): the episode is whatever holds now, silently.
        assets[asset].episodes = map.violations(of: bits, in: assets[asset].zone)
    }
}

/// What the engine has counted since it started.
public struct MovementCounters: Hashable, Sendable {
    public var reads = 0
    public var scans = 0
    /// Assets pushed out of a full table: raise `maxAssets` if this grows.
    public var evictions = 0
    /// Assets that no rule covers (still tracked and reported).
    public var unmatchedAssets = 0
    public var arrived = 0
    public var moved = 0
    public var departed = 0
    public var passed = 0
    public var observed = 0
    public var alerts = 0

    public init() {}

    mutating func count(_ type: EventType) {
        switch type {
        case .arrived: arrived += 1
        case .moved: moved += 1
        case .departed: departed += 1
        case .passed: passed += 1
        case .observed: observed += 1
        case .alert: alerts += 1
        case .audit, .unknown: break  // never made by the engine
        }
    }
}
