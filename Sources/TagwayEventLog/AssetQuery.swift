import Foundation
import TagwayModel

/// Which asset rows to read: the filters of `tagway assets` and `GET /v1/assets`. Filters combine
/// (all must hold); rows come in (asset key, tag) order, `limit` at a time.
public struct AssetQuery: Hashable, Sendable {
    public static let defaultLimit = 100
    public static let maxLimit = 1000

    /// Only assets in this zone now.
    public var zone: String?
    /// Only this asset key (exact; several rows when the key has several engine identities).
    public var key: String?
    /// Only asset keys starting with this text, compared literally (`%` and `_` are characters).
    public var keyPrefix: String?
    /// Only assets last read at or after this time.
    public var seenSince: Timestamp?
    /// Rows after this one (the previous page's `next`).
    public var after: AssetCursor?
    /// Rows per page, clamped to 1...`maxLimit`.
    public var limit: Int

    public init(zone: String? = nil, key: String? = nil, keyPrefix: String? = nil, seenSince: Timestamp? = nil,
                after: AssetCursor? = nil, limit: Int = AssetQuery.defaultLimit) {
        self.zone = zone
        self.key = key
        self.keyPrefix = keyPrefix
        self.seenSince = seenSince
        self.after = after
        self.limit = limit
    }

    /// `limit` within 1...`maxLimit`: a query never reads an unbounded page.
    var boundedLimit: Int { Swift.min(Swift.max(limit, 1), Self.maxLimit) }

    /// The smallest text greater than every text that starts with `prefix` (its last character
    /// raised by one code point), so `prefix <= key < bound` is a range on the key index; nil when
    /// no such text exists (every character is U+10FFFF) and the range is open above. SQLite
    /// compares TEXT bytewise and UTF-8 byte order is code point order, so this bound is exact.
    static func upperBound(ofPrefix prefix: String) -> String? {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if next == 0xD800 { next = 0xE000 }  // surrogates are not characters
            if let raised = Unicode.Scalar(next) {
                scalars.append(raised)
                var text = ""
                text.unicodeScalars.append(contentsOf: scalars)
                return text
            }
        }
        return nil
    }
}

/// Where a page of assets ended: the (asset key, tag) of its last row, which is unique, so the
/// next page starts exactly after it even when rows were added or removed in between.
///
/// Clients get it as opaque text (`<tag hex>.<base64url of the key>`); only this type reads it.
public struct AssetCursor: Hashable, Sendable {
    public var key: String
    public var tag: TagID

    /// Cursor text longer than this is refused before it is decoded.
    public static let maxTextLength = 4096

    public init(key: String, tag: TagID) {
        self.key = key
        self.tag = tag
    }

    /// The cursor `text` names; nil when it is not one this type wrote.
    public init?(text: String) {
        guard text.utf8.count <= Self.maxTextLength, let dot = text.firstIndex(of: ".") else { return nil }
        let hexPart = text[..<dot]
        var base64 = text[text.index(after: dot)...].replacingOccurrences(of: "-", with: "+")
            .replacingOccurrences(of: "_", with: "/")
        guard !hexPart.isEmpty, let tag = TagID(hex: hexPart), !base64.contains("=") else { return nil }
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let key = String(bytes: data, encoding: .utf8) else { return nil }
        self.init(key: key, tag: tag)
    }

    public var text: String {
        let base64 = Data(key.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return tag.hex + "." + base64
    }
}

/// One page of asset rows and the log position they are the state of.
public struct AssetPage: Sendable {
    public var records: [AssetRecord]
    /// Where the next page starts; nil when this page holds the last matching row.
    public var next: AssetCursor?
    /// The newest seq when the page was read (same read transaction as the rows): following the
    /// event stream from here misses no movement and repeats none the rows already show.
    public var lastSeq: Int64

    public init(records: [AssetRecord], next: AssetCursor?, lastSeq: Int64) {
        self.records = records
        self.next = next
        self.lastSeq = lastSeq
    }
}

/// One asset key now and its latest events, read together.
public struct AssetHistory: Sendable {
    public var key: String
    /// Its rows now (empty when it is not tracked: departed, or never seen).
    public var records: [AssetRecord]
    /// Its latest events, newest first.
    public var events: [MovementEvent]
    public var lastSeq: Int64

    public init(key: String, records: [AssetRecord], events: [MovementEvent], lastSeq: Int64) {
        self.key = key
        self.records = records
        self.events = events
        self.lastSeq = lastSeq
    }
}

/// How many assets each zone holds now, by zone id, with the log position.
public struct ZoneCounts: Sendable, Hashable {
    public var counts: [String: Int]
    public var lastSeq: Int64

    public init(counts: [String: Int], lastSeq: Int64) {
        self.counts = counts
        self.lastSeq = lastSeq
    }
}
