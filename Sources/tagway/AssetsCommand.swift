import ArgumentParser
import Foundation
import TagwayConfig
import TagwayEventLog
import TagwayGateway
import TagwayModel
import TagwayRuntime

/// `tagway assets`: where each tracked asset is now, read from the event log's asset table.
///
/// Reads the database directly, so it answers whether the gateway runs or not (SQLite's WAL
/// lets it read beside the running writer), and each page of rows is the state of one log
/// position, printed at the end so a script can follow `tagway events tail --after` from it.
struct AssetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assets",
        abstract: "Show where each tracked asset is now (works while the gateway runs and when it is stopped).")

    @Option(help: "Only assets in this zone now.")
    var zone: String?

    @Option(help: "Only this asset key (exact), e.g. urn:epc:id:giai:0614141.12345.")
    var key: String?

    @Option(help: "Only asset keys starting with this text (literal, no wildcards).")
    var prefix: String?

    @Option(help: "Only assets read within this long (e.g. 90s, 10m, 2h, 1d) or since this UTC time (2026-11-26T10:15:02Z).")
    var seenSince: String?

    @Flag(help: "One JSON object per line, the same fields as GET /v1/assets.")
    var json = false

    @Option(help: "At most this many assets (default: all).")
    var limit: Int?

    @OptionGroup var gateway: GatewayDataOptions

    /// Column widths of the table are bounded so one long key cannot push the rest off screen.
    static let maxKeyWidth = 48
    static let maxNameWidth = 24

    func validate() throws {
        if (gateway.dataDir == nil) == (gateway.config == nil) { throw ValidationError("give either --data-dir or --config") }
        if key != nil, prefix != nil { throw ValidationError("--key and --prefix exclude each other") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let seenSince, Self.time(seenSince, now: SystemClock.now()) == nil {
            throw ValidationError("--seen-since '\(seenSince)' is neither a duration (90s, 10m, 2h, 1d) nor a UTC time like 2026-11-26T10:15:02Z")
        }
    }

    func run() throws {
        let log = try open()
        if !json, (try? log.holdsAssetState()) == false {
            Self.warn("\(log.path): written by an earlier release; its asset state is rebuilt at the gateway's next start, until then no asset is listed")
        }
        var query = AssetQuery(zone: zone, key: key, keyPrefix: prefix,
                               seenSince: seenSince.flatMap { Self.time($0, now: SystemClock.now()) })
        var remaining = limit ?? Int.max
        var table: AssetListing?
        var firstSeq: Int64?
        var printed = 0
        repeat {
            query.limit = min(remaining, AssetQuery.maxLimit)
            let page: AssetPage
            do { page = try log.assets(query) } catch {
                Self.warn("\(error)")
                throw ExitCode(1)
            }
            if firstSeq == nil { firstSeq = page.lastSeq }
            if json {
                for record in page.records { print(record.json) }
            } else {
                if table == nil { table = AssetListing(first: page.records) }
                table?.print(page.records)
            }
            printed += page.records.count
            remaining -= page.records.count
            query.after = page.next
        } while query.after != nil && remaining > 0
        if !json {
            let more = query.after != nil ? " (more: raise --limit)" : ""
            print("\(printed) asset(s)\(more); state as of event seq \(firstSeq ?? 0)")
        }
    }

    func open() throws -> EventLog {
        let directory: String
        do { directory = try gateway.resolve().directory } catch {
            Self.warn("\(error)")
            throw ExitCode(2)
        }
        do {
            return try EventLog.openExisting(directory: directory)
        } catch {
            Self.warn("\(error)")
            throw ExitCode(2)
        }
    }

    /// `90s`, `10m`, `2h`, `1d` before `now`, or an ISO-8601 UTC time; nil for anything else
    /// (and for a duration too long to subtract).
    static func time(_ text: String, now: Timestamp) -> Timestamp? {
        if let time = ISO8601Millis.parse(text) { return time }
        guard let unit = text.last, let amount = Int64(text.dropLast()), amount >= 0 else { return nil }
        let scale: Int64
        switch unit {
        case "s": scale = 1000
        case "m": scale = 60_000
        case "h": scale = 3_600_000
        case "d": scale = 86_400_000
        default: return nil
        }
        let (millis, overflow) = amount.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        return Timestamp(milliseconds: now.milliseconds.saturatingSubtract(millis))
    }

    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }
}

/// The table for people: key, zone, since, last seen, read point, RSSI. Widths come from the
/// first page, bounded; a longer value is cut with `…` (the JSON form has it whole).
struct AssetListing {
    let keyWidth: Int
    let zoneWidth: Int
    let pointWidth: Int
    static let timeWidth = 20

    init(first records: [AssetRecord]) {
        keyWidth = Self.width("KEY", records.map(\.asset.key), max: AssetsCommand.maxKeyWidth)
        zoneWidth = Self.width("ZONE", records.map(\.zone), max: AssetsCommand.maxNameWidth)
        pointWidth = Self.width("READ POINT", records.map(\.readPoint), max: AssetsCommand.maxNameWidth)
        Swift.print(line("KEY", "ZONE", "SINCE", "LAST SEEN", "READ POINT", "RSSI"))
    }

    func print(_ records: [AssetRecord]) {
        for r in records {
            Swift.print(line(r.asset.key, r.zone, Self.time(r.since), Self.time(r.lastRead), r.readPoint,
                             r.peakRSSI.map(String.init) ?? "-"))
        }
    }

    func line(_ key: String, _ zone: String, _ since: String, _ seen: String, _ point: String, _ rssi: String) -> String {
        [Self.fit(key, keyWidth), Self.fit(zone, zoneWidth), Self.fit(since, Self.timeWidth), Self.fit(seen, Self.timeWidth),
         Self.fit(point, pointWidth), rssi].joined(separator: "  ")
    }

    /// `2026-11-26 10:15:02Z`: seconds are enough to read, and the zone stays visible.
    static func time(_ t: Timestamp) -> String {
        let iso = t.iso8601
        return String(iso.prefix(19)).replacingOccurrences(of: "T", with: " ") + "Z"
    }

    static func width(_ header: String, _ values: [String], max: Int) -> Int {
        min(max, values.reduce(header.count) { Swift.max($0, $1.count) })
    }

    /// `text` padded or cut to `width` characters; control characters are shown as `?` so a
    /// key from a tag cannot move the terminal's cursor.
    static func fit(_ text: String, _ width: Int) -> String {
        let clean = String(text.map { $0.isASCII && ($0.asciiValue ?? 0x20) < 0x20 ? "?" : $0 })
        if clean.count > width { return String(clean.prefix(width - 1)) + "…" }
        return clean + String(repeating: " ", count: width - clean.count)
    }
}
