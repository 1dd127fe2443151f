/// An asset's JSON object, the one form `GET /v1/assets`, `GET /v1/assets/{key}` and
/// `tagway assets --json` share (a contract, documented in the README).
///
/// Hand-written like the event JSON so the field order is stable and absent fields are omitted;
/// times are the event contract's ISO-8601 form. The engine's own identity fields (tag bytes,
/// lean side, zone read count) stay internal: clients know assets by key.
extension AssetRecord {
    public var json: String {
        var out = JSONObjectWriter()
        out.string("key", asset.key)
        out.string("scheme", asset.scheme)
        out.string("raw", asset.raw)
        if let symbology { out.string("symbology", symbology) }
        out.string("zone", zone)
        out.string("since", since.iso8601)
        out.string("lastSeen", lastRead.iso8601)
        out.string("lastSeenInZone", lastReadInZone.iso8601)
        out.string("readPoint", readPoint)
        if let reader { out.string("reader", reader) }
        if let peakRSSI { out.number("rssi", Int64(peakRSSI)) }
        out.number("reads", Int64(reads))
        if let doorSide { out.string("doorSide", doorSide.rawValue) }
        out.raw("episodes", "[" + episodes.map(JSONObjectWriter.quote).joined(separator: ",") + "]")
        out.bool("stationed", stationed)
        out.number("seq", seq)
        return out.finish()
    }
}
