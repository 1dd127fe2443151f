import TagwayModel
import TagwayZones

/// The body of `GET /v1/tuning` (the contract in the README's API section): the engine's tuning
/// view with the asset identities the pipeline knows, in the units people read (ms, dBm, reads/s).
struct TuningJSON {
    let time: Timestamp
    let settings: TuningSettings
    /// The asset of a tag (nil when it cannot be named).
    let identify: (TagID, _ isScan: Bool, _ readPoint: String?) -> AssetRef?

    func body(tag: TagTuning?, note: String?, readPoint: ReadPointTuning?) -> String {
        var w = JSONObjectWriter()
        w.string("time", time.iso8601)
        w.number("windowMs", settings.windowMs)
        var s = JSONObjectWriter()
        s.raw("threshold", Self.number(settings.threshold))
        s.number("holdoffMs", settings.holdoffMs)
        s.raw("slopePerSecond", Self.number(settings.slopePerSecond))
        s.raw("floor", Self.number(settings.floor))
        s.number("moveAfterReads", Int64(settings.moveAfterReads))
        s.number("departAfterMs", settings.departAfterMs)
        w.raw("settings", s.finish())
        w.raw("tag", tag.map(self.tag) ?? "null")
        if let note = note ?? tag?.note { w.string("note", note) }
        w.raw("readPoint", readPoint.map(self.readPoint) ?? "null")
        return w.finish()
    }

    func tag(_ t: TagTuning) -> String {
        var w = JSONObjectWriter()
        w.string("tag", t.tag.hex)
        w.raw("asset", asset(t.tag, isScan: t.isScan, readPoint: t.anchor ?? t.readPoints.first?.readPoint))
        w.raw("zone", Self.optional(t.zone))
        w.raw("anchor", Self.optional(t.anchor))
        w.raw("since", Self.optional(t.since?.iso8601))
        w.raw("silentMs", t.silentMs.map(String.init) ?? "null")
        w.raw("readPoints", "[" + t.readPoints.map(readPointRow).joined(separator: ",") + "]")
        return w.finish()
    }

    func readPointRow(_ r: ReadPointEvidence) -> String {
        var w = JSONObjectWriter()
        w.string("readPoint", r.readPoint)
        w.raw("zone", Self.optional(r.zone))
        w.raw("side", Self.optional(r.side?.rawValue))
        w.bool("anchor", r.anchor)
        w.number("windowReads", Int64(r.windowReads))
        w.raw("readsPerSecond", Self.tenths(r.readsPerSecond))
        w.raw("meanRSSI", r.meanRSSI.map(Self.tenths) ?? "null")
        w.raw("lastSeenMsAgo", r.lastSeenMsAgo.map(String.init) ?? "null")
        w.raw("requiredMargin", r.handOver?.requiredMargin.map(Self.tenths) ?? "null")
        w.raw("wins", r.handOver.map { $0.wins ? "true" : "false" } ?? "null")
        w.string("why", r.why)
        return w.finish()
    }

    func readPoint(_ p: ReadPointTuning) -> String {
        var w = JSONObjectWriter()
        w.string("readPoint", p.readPoint)
        w.raw("zone", Self.optional(p.zone))
        w.raw("side", Self.optional(p.side?.rawValue))
        w.raw("tags", "[" + p.tags.map { heard in
            var t = JSONObjectWriter()
            t.string("tag", heard.tag.hex)
            t.raw("asset", asset(heard.tag, isScan: false, readPoint: p.readPoint))
            t.raw("zone", Self.optional(heard.zone))
            t.bool("anchor", heard.anchor)
            t.number("windowReads", Int64(heard.windowReads))
            t.raw("readsPerSecond", Self.tenths(heard.readsPerSecond))
            t.raw("meanRSSI", heard.meanRSSI.map(Self.tenths) ?? "null")
            t.number("lastSeenMsAgo", heard.lastSeenMsAgo)
            return t.finish()
        }.joined(separator: ",") + "]")
        w.bool("truncated", p.truncated)
        return w.finish()
    }

    private func asset(_ tag: TagID, isScan: Bool, readPoint: String?) -> String {
        guard let ref = identify(tag, isScan, readPoint) else { return "null" }
        var w = JSONObjectWriter()
        w.string("key", ref.key)
        w.string("scheme", ref.scheme)
        return w.finish()
    }

    static func optional(_ text: String?) -> String { text.map(JSONObjectWriter.quote) ?? "null" }

    /// One decimal (`-52.3`, `9.0`); JSON has no NaN or infinity, so those are null.
    static func tenths(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        let rounded = (value * 10).rounded() / 10
        return rounded == 0 ? "0.0" : "\(rounded)"
    }

    /// A setting as configured: whole numbers without a fraction (`6`, `-8`).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
