/// One row of an expected list: an asset (its key, or an asset tag as the asset store writes
/// it, see `AssetTagMatch`) and the zone it should be in.
public struct ExpectedAsset: Sendable, Hashable {
    /// As written in the list (trimmed).
    public var tag: String
    /// Zone id (aliases and locations already resolved).
    public var zone: String
    /// Physical line the row starts on.
    public var line: Int

    public init(tag: String, zone: String, line: Int) {
        self.tag = tag
        self.zone = zone
        self.line = line
    }
}

/// What an asset store believes: which asset should be in which zone, parsed from a CSV or JSON
/// export. Parsing takes bytes, never a path: the CLI reads a file, the API a request body.
public struct ExpectedAssetList: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable {
        case csv, json
    }

    /// The list's name in errors and reports (a file name, or `request body`).
    public var source: String
    public var format: Format
    /// In the order of the list.
    public var entries: [ExpectedAsset]

    public init(source: String, format: Format, entries: [ExpectedAsset]) {
        self.source = source
        self.format = format
        self.entries = entries
    }

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Parses `bytes`; `format` nil: JSON when the first character is `[` or `{`, else CSV.
    /// Throws every problem found (up to 20 kept, with the total), never a partial list.
    public static func parse(_ bytes: UnsafeRawBufferPointer, source: String, format: Format? = nil,
                             settings: AuditSettings) throws(ExpectedListErrors) -> ExpectedAssetList {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        if let bad = UTF8Check.firstBadByte(UnsafeRawBufferPointer(rebasing: bytes[start...])) {
            let offset = bad.offset + start
            let hint = bytes[0] == 0xFF || bytes[0] == 0xFE ? " (the file looks like UTF-16)" : ""
            throw ExpectedListErrors([ExpectedListError(
                .notUTF8, source: source, line: bad.line,
                message: "byte \(offset) (0x\(String(bytes[offset], radix: 16, uppercase: true))) is not UTF-8\(hint)",
                fix: "export or save the list as UTF-8 (with or without BOM)")])
        }
        var first = start
        while first < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[first]) { first += 1 }
        guard first < bytes.count else {
            throw ExpectedListErrors([ExpectedListError(.empty, source: source, line: nil, message: "the list is empty",
                                                        fix: "export the list with a header row and one row per asset")])
        }
        let detected: Format = bytes[first] == UInt8(ascii: "[") || bytes[first] == UInt8(ascii: "{") ? .json : .csv
        let chosen = format ?? detected
        var builder = ExpectedListBuilder(settings: settings, source: source)
        switch chosen {
        case .csv: readCSV(bytes, start: start, into: &builder)
        case .json: ExpectedJSONReader.read(bytes, start: start, into: &builder)
        }
        if !builder.problems.isEmpty { throw builder.problems.errors }
        if builder.entries.isEmpty {
            throw ExpectedListErrors([ExpectedListError(.empty, source: source, line: nil, message: "the list has no assets",
                                                        fix: "add one row per asset after the header")])
        }
        return ExpectedAssetList(source: source, format: chosen, entries: builder.entries)
    }

    public static func parse(_ bytes: [UInt8], source: String, format: Format? = nil,
                             settings: AuditSettings) throws(ExpectedListErrors) -> ExpectedAssetList {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(ExpectedListErrors) in try parse(raw, source: source, format: format, settings: settings) }
        }
        return try result.get()
    }

    private static func readCSV(_ bytes: UnsafeRawBufferPointer, start: Int, into builder: inout ExpectedListBuilder) {
        var reader = CSVReader(bytes: bytes, start: start, separator: CSVReader.detectSeparator(bytes, start: start))
        var fields: [CSVReader.Field] = []
        do {
            guard let headerLine = try reader.next(into: &fields) else { return }
            let header = fields.map { reader.text($0).trimmingSpaces() }
            guard let columns = resolveHeader(header, line: headerLine, into: &builder) else { return }
            while let line = try reader.next(into: &fields) {
                if fields.allSatisfy({ reader.isEmpty($0) }) { continue }
                func value(_ index: Int) -> String? { index < fields.count ? reader.text(fields[index]) : nil }
                let more = builder.add(asset: value(columns.asset), assetColumn: header[columns.asset],
                                       place: value(columns.place), placeColumn: header[columns.place],
                                       placeIsLocation: columns.placeIsLocation, line: line)
                if !more { return }
            }
        } catch {
            switch error {
            case let .unclosedQuote(recordLine, fieldLine):
                builder.report(.unclosedQuote, line: recordLine,
                               "a quoted field opened on line \(fieldLine) is never closed",
                               fix: "close the field with \" (a quote inside a field is written \"\")")
            case let .textAfterQuote(line):
                builder.report(.malformedCSV, line: line, "text after the closing quote of a field",
                               fix: "quote the whole field, and write a quote inside it as \"\"")
            }
        }
    }

    private static func resolveHeader(_ header: [String], line: Int, into builder: inout ExpectedListBuilder)
        -> (asset: Int, place: Int, placeIsLocation: Bool)? {
        let names = header.map(ExpectedListColumns.normalized)
        var index: [String: Int] = [:]
        var ok = true
        for (position, name) in names.enumerated() {
            if let first = index[name] {
                let used = ExpectedListColumns.assetNames + ExpectedListColumns.zoneNames + ExpectedListColumns.locationNames
                if used.contains(name) {
                    builder.report(.duplicateColumn, line: line, column: header[position],
                                   "column '\(header[position])' appears twice (columns \(first + 1) and \(position + 1))",
                                   fix: "keep one column of that name")
                    ok = false
                }
            } else {
                index[name] = position
            }
        }
        let present = Set(names)
        let found = "the header has \(header.map { "'\($0)'" }.joined(separator: ", "))"
        let asset = ExpectedListColumns.pick(ExpectedListColumns.assetNames, in: present)
        if asset == nil {
            builder.report(.missingColumn, line: line, "no column names the asset (\(found))",
                           fix: "name a column \(ExpectedListColumns.assetHint)")
        }
        let zone = ExpectedListColumns.pick(ExpectedListColumns.zoneNames, in: present)
        let location = ExpectedListColumns.pick(ExpectedListColumns.locationNames, in: present)
        if zone == nil, location == nil {
            builder.report(.missingColumn, line: line, "no column names the zone (\(found))",
                           fix: "name a column \(ExpectedListColumns.zoneHint)")
        }
        guard ok, let asset, let place = zone ?? location, let assetColumn = index[asset], let placeColumn = index[place] else {
            return nil
        }
        return (assetColumn, placeColumn, zone == nil)
    }
}
