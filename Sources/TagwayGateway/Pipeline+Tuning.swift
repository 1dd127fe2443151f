import TagwayAPI
import TagwayIdentity
import TagwayModel
import TagwayZones

/// The tuning view (`GET /v1/tuning`), answered inside the actor from the engine as it is now:
/// nothing is kept for it between requests, and the per-read path does nothing for it.
extension Pipeline {
    /// Tag views at most per request: one for `tag=`, one per engine identity of an asset key.
    static let maxTuningCandidates = 16
    /// Tags listed at most for a read point.
    static let maxHeardTags = 200

    /// The answer to `query` at `now`. `candidates` are the engine identities of an `asset=` key
    /// (from the log's asset rows); the first the engine tracks is shown.
    public func tuning(_ query: TuningQuery, candidates: [TagID] = [], now: Timestamp) -> TuningAnswer {
        let render = TuningJSON(time: now, settings: engine.tuningSettings, identify: { [self] in identity($0, isScan: $1, readPoint: $2) })
        switch query {
        case .tag(let tag):
            let view = engine.tuning(tag: tag, now: now)
            return .json(render.body(tag: view, note: view == nil ? "tag \(tag.hex) is not present: no read point hears it now and it is in no zone" : nil,
                                     readPoint: nil))
        case .asset(let key):
            let views = candidates.prefix(Self.maxTuningCandidates).compactMap { engine.tuning(tag: $0, now: now) }
            let view = views.first { $0.zone != nil } ?? views.first
            let note: String? = switch (view, candidates.isEmpty) {
            case (nil, true): "asset \(key) is not known: the gateway has never placed it"
            case (nil, false): "asset \(key) is not present: no read point hears it now and it is in no zone"
            default: nil
            }
            return .json(render.body(tag: view, note: note, readPoint: nil))
        case .readPoint(let name, let strongest):
            guard let point = engine.tuning(readPoint: name, now: now, limit: Self.maxHeardTags) else { return .unknownReadPoint(name) }
            guard strongest else { return .json(render.body(tag: nil, note: nil, readPoint: point)) }
            let view = point.tags.first.flatMap { engine.tuning(tag: $0.tag, now: now) }
            return .json(render.body(tag: view, note: view == nil ? "read point \(name) hears no tag now" : nil, readPoint: point))
        }
    }

    /// The asset a tag is, as its events name it (see `ZoneEventNaming`).
    private func identity(_ tag: TagID, isScan: Bool, readPoint: String?) -> AssetRef {
        if let restored = restoredIdentity[tag] { return restored.asset }
        if isScan { return AssetKeyResolver.assetRef(for: ScanCode.scan(from: tag), companyPrefixes: companyPrefixes) }
        let technology = engine.technology(of: tag, at: readPoint) ?? .epcGen2
        return AssetKeyResolver.assetRef(for: TagObservation(technology: technology, id: tag))
    }
}
