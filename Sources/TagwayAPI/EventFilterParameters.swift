import Foundation
import Hummingbird
import TagwayEventLog
import TagwayModel

/// The filters of `GET /v1/events` from the query string: each value checked, and a bad one
/// refused with 400 naming the parameter (never a trap, never silently ignored).
enum EventFilterParameters {
    static let maxTypes = 16
    static let maxZoneBytes = 256
    static let maxAssetBytes = 1024

    static func parse(_ parameters: Parameters) throws(APIError) -> EventFilter {
        var filter = EventFilter()
        if let text = parameters.get("type") { filter.types = try types(text) }
        if let zone = parameters.get("zone") {
            guard !zone.isEmpty, zone.utf8.count <= maxZoneBytes else {
                throw APIError.badInput("zone", "must be a zone id of 1 to \(maxZoneBytes) bytes")
            }
            filter.zone = zone
        }
        if let asset = parameters.get("asset") {
            guard !asset.isEmpty, asset.utf8.count <= maxAssetBytes else {
                throw APIError.badInput("asset", "must be an asset key of 1 to \(maxAssetBytes) bytes")
            }
            filter.asset = asset
        }
        if let since = parameters.get("since") { filter.since = try time(since) }
        return filter
    }

    /// A comma list of event types, each one of the contract's (`arrived`, `moved`, …).
    static func types(_ text: String) throws(APIError) -> [EventType] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard names.count <= maxTypes else { throw APIError.badInput("type", "lists more than \(maxTypes) types") }
        var out: [EventType] = []
        for name in names {
            guard let type = EventType(rawValue: name) else {
                let known = EventType.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError.badInput("type", "has '\(name.prefix(40))', not an event type (\(known))")
            }
            if !out.contains(type) { out.append(type) }
        }
        return out
    }

    /// `2026-12-02T06:00:00Z` (fraction optional, `Z` or an offset like `+01:00`), or whole
    /// milliseconds since 1970.
    static func time(_ text: String) throws(APIError) -> Timestamp {
        let refusal = APIError.badInput("since", "must be a time like 2026-12-02T06:00:00.000Z (or with an offset like +01:00) or whole milliseconds since 1970")
        guard text.utf8.count <= 40 else { throw refusal }
        if !text.isEmpty, text.utf8.count <= 15, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let ms = Int64(text) {
            return Timestamp(milliseconds: ms)
        }
        if let time = ISO8601Millis.parse(text) { return time }
        // An offset: the civil time minus the offset is UTC.
        let u = Array(text.utf8)
        guard u.count >= 25, u[u.count - 6] == UInt8(ascii: "+") || u[u.count - 6] == UInt8(ascii: "-"),
              u[u.count - 3] == UInt8(ascii: ":"),
              [u.count - 5, u.count - 4, u.count - 2, u.count - 1].allSatisfy({ u[$0] >= 48 && u[$0] <= 57 }),
              let hours = Int64(String(decoding: u[(u.count - 5)..<(u.count - 3)], as: UTF8.self)),
              let minutes = Int64(String(decoding: u[(u.count - 2)...], as: UTF8.self)), hours < 24, minutes < 60,
              let civil = ISO8601Millis.parse(String(decoding: u[..<(u.count - 6)], as: UTF8.self) + "Z")
        else { throw refusal }
        let offset = (hours * 60 + minutes) * 60_000
        return Timestamp(milliseconds: u[u.count - 6] == UInt8(ascii: "+") ? civil.milliseconds - offset : civil.milliseconds + offset)
    }
}
