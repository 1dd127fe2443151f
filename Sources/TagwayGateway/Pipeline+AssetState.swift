import TagwayEventLog
import TagwayIdentity
import TagwayModel
import TagwayRuntime
import TagwayZones

/// The durable asset table (issue 11): rows written with the events that change them, the
/// periodic write of last-read times, and the restore at a start.
extension Pipeline {
    /// Loads the asset rows of the log into the engine before any reader starts. Assets not read
    /// within `departAfter` of their last read before the stop depart at that real time ("not seen
    /// since restart"); those at a read point no longer in `configuredReadPoints` depart now.
    /// These events are written like any other, with their rows.
    public func restore(_ snapshot: AssetSnapshot, configuredReadPoints: Set<String>, now: Timestamp) async {
        var assets: [RestoredAsset] = []
        assets.reserveCapacity(snapshot.records.count)
        restoredIdentity.reserveCapacity(snapshot.records.count)
        for record in snapshot.records {
            restoredIdentity[record.tag] = AssetIdentity(record)
            assets.append(RestoredAsset(record))
            if let learnt = GS1CompanyPrefix.of(epcURI: record.asset.key) { companyPrefixes.insert(companyPrefix: learnt) }
        }
        let summary = restoreEngine(assets, configuredReadPoints: configuredReadPoints, now: now)
        var detail = ""
        if summary.readPointRemoved > 0 { detail += ", \(summary.readPointRemoved) at read points no longer configured" }
        logger.notice("restored \(summary.restored) assets (\(summary.departedWhileStopped) departed while stopped\(detail))",
                      metadata: ["seq": "\(snapshot.lastSeq)"])
        if summary.evicted > 0 {
            logger.warning("\(summary.evicted) assets departed at the start as evicted: the log holds more than maxAssets (\(engine.configuration.settings.maxAssets)); the most recently read were kept")
        }
        stateWrittenThrough = engine.latestTime
        await flush()
    }

    private func restoreEngine(_ assets: [RestoredAsset], configuredReadPoints: Set<String>, now: Timestamp) -> RestoreSummary {
        let identities = restoredIdentity
        return engine.restore(assets, configuredReadPoints: configuredReadPoints, now: now, identify: {
            identities[$0]?.asset ?? AssetKeyResolver.assetRef(for: TagObservation(technology: .epcGen2, id: $0))
        }, into: &zoneEvents)
    }

    /// Writes the last-read times, reads and RSSI of the assets read since the last state write
    /// (their zone has not changed, or they would have rows with their events), in chunks that
    /// ride with the events' transactions or go alone (see `OwedAssetRows`); returns once they
    /// are written, or at once when the writer is running (it carries them). Does nothing while
    /// events are held (their retry carries the rows) and returns false then. The state timer
    /// calls it every `stateInterval`; tests and the stop call it directly.
    @discardableResult
    public func flushState() async -> Bool {
        guard retryTask == nil, fatal == nil else { return false }
        if rowsNeedRewrite {
            guard !writing, unwritten.isEmpty else { return false }
            return await rewriteRows()
        }
        // A round still owed is finished before the next is counted from its mark.
        if !owedRows.isEmpty, !writing { await write() }
        oweRows()
        if !writing { await write() }
        return true
    }

    /// Starts a round of the state write when none is owed: the tags read since its mark.
    func oweRows() {
        guard owedRows.isEmpty else { return }
        // A read stamped in the same millisecond as `through` may still come: take it next time.
        let mark = Timestamp(milliseconds: engine.latestTime.milliseconds.saturatingSubtract(1))
        owedRows.owe(engine.assetsRead(after: stateWrittenThrough), through: mark)
        if owedRows.isEmpty, let done = owedRows.completed() { stateWrittenThrough = done }
    }

    /// The rows of the next at most `limit` owed tags, as the engine has them now; a tag named
    /// by an event of the same transaction (`skipping`) or one still waiting (`dirty`) gets its
    /// whole row with that event instead, and a tag no longer tracked has no row to touch.
    func owedTouches(_ limit: Int, skipping cut: [TagID: AssetIdentity]) -> [AssetTouch] {
        guard !owedRows.isEmpty else { return [] }
        var touches: [AssetTouch] = []
        for tag in owedRows.take(limit) where cut[tag] == nil && dirty[tag] == nil {
            guard let a = engine.snapshot(of: tag) else { continue }
            touches.append(AssetTouch(tag: tag, readPoint: a.readPoint, lastRead: a.lastRead, lastReadInZone: a.lastSeenInZone,
                                      doorSide: a.reportedSide, leanSide: a.leanSide, reads: a.reads, peakRSSI: a.peakRSSI))
        }
        return touches
    }

    /// After a reload: every row again from the engine (its zone may have been re-labelled, its
    /// episodes reset), with the identity the row already has. Called with nothing held or in flight.
    private func rewriteRows() async -> Bool {
        let rows: [AssetRecord]
        do { rows = try log.assetStates().records } catch {
            logger.warning("asset state not rewritten after the reload; retrying with the next write", metadata: ["error": "\(error)"])
            return true
        }
        rowsNeedRewrite = false
        var changes = AssetStateChanges()
        for row in rows where dirty[row.tag] == nil {
            if let upsert = record(of: row.tag, identity: AssetIdentity(row)) { changes.upserts.append(upsert) }
        }
        let through = engine.latestTime
        guard !changes.isEmpty else { return true }
        writing = true
        do {
            _ = try await log.append([], state: changes)
            stateWrittenThrough = Timestamp(milliseconds: through.milliseconds.saturatingSubtract(1))
        } catch {
            rowsNeedRewrite = true
            logger.warning("asset state not rewritten after the reload; retrying with the next write", metadata: ["error": "\(error)"])
        }
        writing = false
        if !unwritten.isEmpty { await write() }
        return true
    }

    /// The rows of the assets named by the events being written: the engine's state of each
    /// (an upsert), or its removal when it is no longer tracked (departed, evicted).
    func stateChanges(for tags: [TagID: AssetIdentity]) -> AssetStateChanges {
        var changes = AssetStateChanges()
        for (tag, identity) in tags {
            if let upsert = record(of: tag, identity: identity) { changes.upserts.append(upsert) } else { changes.removals.append(tag) }
        }
        return changes
    }

    /// The row of a tracked asset as the engine holds it now; nil when it is not tracked.
    private func record(of tag: TagID, identity: AssetIdentity) -> AssetRecord? {
        guard let a = engine.snapshot(of: tag) else { return nil }
        return AssetRecord(
            tag: tag, isScan: a.isScan, technology: a.isScan ? nil : identity.technology, asset: identity.asset,
            symbology: identity.symbology, zone: a.zone, since: a.since, readPoint: a.readPoint, reader: a.reader,
            lastRead: a.lastRead, lastReadInZone: a.lastSeenInZone, doorSide: a.reportedSide, leanSide: a.leanSide,
            reads: a.reads, peakRSSI: a.peakRSSI, episodes: a.episodes, stationed: a.stationed)
    }

    /// Marks the asset of an event for a row write with that event, named as the event names it.
    /// True when it is a restored asset departing (its restored identity can go).
    func noteState(of event: ZoneEvent, named: MovementEvent) -> Bool {
        let restored = restoredIdentity.isEmpty ? nil : restoredIdentity[event.tag]
        let technology = event.isScan ? nil : restored?.technology ?? (event.technology ?? .epcGen2).rawValue
        dirty[event.tag] = AssetIdentity(asset: named.asset, symbology: named.symbology, technology: technology)
        return event.type == .departed && restored != nil
    }

    /// Arms the periodic state write, once per `stateInterval` while reads come in.
    func scheduleStateWrite() {
        guard stateTimer == nil, !stopping else { return }
        let interval = stateInterval
        stateTimer = Task { [weak self, timers] in
            _ = await timers.sleep(for: interval)
            guard !Task.isCancelled else { return }
            await self?.stateTimerFired()
        }
    }

    private func stateTimerFired() async {
        stateTimer = nil
        // Busy writing events: those carry rows already; try again in an interval.
        if await !flushState() { scheduleStateWrite() }
    }
}
