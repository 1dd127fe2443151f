import TagwayModel

/// Where an asset is on a site: a zone of one gateway. Zone ids are a gateway's own (two docks
/// can both call a zone `dock`), so a site names a place by both.
public struct SiteLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var gateway: String
    public var zone: String

    public init(gateway: String, zone: String) {
        self.gateway = gateway
        self.zone = zone
    }

    /// `gateway/zone`: the form site events carry in `from`/`to` and site rules name zones by.
    public var description: String { "\(gateway)/\(zone)" }

    /// Parses `gateway/zone` (the first `/` splits; zone ids may not hold one, gateway ids can't).
    public init?(_ text: String) {
        guard let slash = text.firstIndex(of: "/"), slash != text.startIndex, text.index(after: slash) != text.endIndex else {
            return nil
        }
        gateway = String(text[..<slash])
        zone = String(text[text.index(after: slash)...])
    }

    public static func < (lhs: SiteLocation, rhs: SiteLocation) -> Bool {
        (lhs.gateway, lhs.zone) < (rhs.gateway, rhs.zone)
    }
}
