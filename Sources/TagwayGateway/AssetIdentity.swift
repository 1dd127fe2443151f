import TagwayModel

/// What the asset rows need that the engine does not keep: the canonical key the events carry,
/// the symbology of a scan, and the tag's technology (an EM4100 card and an EPC can share bytes).
struct AssetIdentity: Sendable, Hashable {
    var asset: AssetRef
    var symbology: String?
    var technology: String?

    init(asset: AssetRef, symbology: String?, technology: String?) {
        self.asset = asset
        self.symbology = symbology
        self.technology = technology
    }

    init(_ record: AssetRecord) {
        self.init(asset: record.asset, symbology: record.symbology, technology: record.technology)
    }
}
