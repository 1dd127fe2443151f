/// Checks each row of an expected list as it is read (asset given, zone known or location
/// mapped, asset not listed twice, row limit) and keeps the rows that pass; the CSV and JSON
/// readers share it, so both formats refuse the same things with the same words.
struct ExpectedListBuilder {
    let settings: AuditSettings
    private(set) var problems: ProblemCollector
    private(set) var entries: [ExpectedAsset] = []
    private var firstLine: [String: Int] = [:]
    private let zoneSet: Set<String>
    private var rows = 0

    init(settings: AuditSettings, source: String) {
        self.settings = settings
        problems = ProblemCollector(source: source)
        zoneSet = Set(settings.zones)
    }

    mutating func report(_ kind: ExpectedListError.Kind, line: Int?, column: String? = nil, _ message: String, fix: String) {
        problems.report(kind, line: line, column: column, message, fix: fix)
    }

    /// One row. `place` is a zone (or alias), or with `placeIsLocation` an asset store location.
    /// Returns false once the row limit is passed: the caller stops reading.
    mutating func add(asset rawAsset: String?, assetColumn: String, place rawPlace: String?, placeColumn: String,
                      placeIsLocation: Bool, line: Int) -> Bool {
        rows += 1
        if rows > settings.maxRows {
            report(.tooManyRows, line: line, "more than \(settings.maxRows) rows",
                   fix: "split the list (by location or zone) into lists of at most \(settings.maxRows) rows")
            return false
        }
        let asset = (rawAsset ?? "").trimmingSpaces().removingFormulaEscape()
        let place = (rawPlace ?? "").trimmingSpaces()
        var zone: String?
        if place.isEmpty {
            report(.emptyValue, line: line, column: placeColumn, "no \(placeIsLocation ? "location" : "zone") for \(asset.isEmpty ? "this row" : asset)",
                   fix: placeIsLocation ? "give every asset a location in the asset store, or leave it out of the export" : "give the zone the asset should be in")
        } else if placeIsLocation {
            let location = place.removingFormulaEscape()
            if let mapped = settings.locations[location] {
                zone = mapped
            } else {
                report(.unknownLocation, line: line, column: placeColumn, "location '\(location)' is not in audit.locations",
                       fix: "add \"\(location)\": <zone> to audit.locations in the configuration, or leave its assets out of the export")
            }
        } else if !settings.checksZones || zoneSet.contains(place) {
            zone = place
        } else if let id = settings.aliases[place] {
            zone = id
        } else {
            report(.unknownZone, line: line, column: placeColumn, "unknown zone '\(place)'", fix: "use one of \(knownZones)")
        }
        guard !asset.isEmpty else {
            report(.emptyValue, line: line, column: assetColumn, "no asset key or tag", fix: "give the asset's key or tag, or remove the row")
            return true
        }
        if let first = firstLine[asset] {
            report(.duplicateKey, line: line, column: assetColumn, "\(asset) is listed twice (lines \(first) and \(line))",
                   fix: "keep one row per asset")
            return true
        }
        firstLine[asset] = line
        if let zone, problems.isEmpty { entries.append(ExpectedAsset(tag: asset, zone: zone, line: line)) }
        return true
    }

    /// The zones a list may name, for an error message (the first 20).
    private var knownZones: String {
        let sorted = settings.zones.sorted()
        if sorted.isEmpty { return "the zones of the configuration (none are configured)" }
        let shown = sorted.prefix(20).joined(separator: ", ")
        return sorted.count > 20 ? shown + " (and \(sorted.count - 20) more)" : shown
    }
}
