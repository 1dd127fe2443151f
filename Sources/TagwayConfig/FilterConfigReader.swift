import TagwayFilters
import TagwayZones

/// Reads `readers[].filters`, `readers[].referenceTags` and the top-level `filters:` (keyed by
/// read point) into one `FilterConfiguration`, checking read point names against the readers.
///
/// ```yaml
/// readers:
///   - id: door3-uhf
///     filters: { exclude: [{ epcPrefix: "E280" }], rssiFloor: -65, minReads: { count: 2, within: 1s } }
///     referenceTags: [{ tag: "urn:epc:id:giai:0614141.99", readPoint: door3-in, expectEvery: 60s }]
/// filters:
///   door3-in: { include: [{ companyPrefix: "0614141" }] }
/// ```
enum FilterConfigReader {
    static let filterKeys = ["include", "exclude", "rssiFloor", "minReads"]
    static let matchKeys = ["epcPrefix", "keyPrefix", "scheme", "filterValue", "companyPrefix", "pattern"]
    static let referenceKeys = ["tag", "readPoint", "expectEvery"]
    static let maxEntries = 256
    static let rssiRange = -150...50
    static let expectEvery = ConfigLimits.DurationBound(max: .seconds(30 * 86_400), text: "30d", min: (.seconds(1), "1s"))
    static let minReadsWithin = ConfigLimits.DurationBound(max: .seconds(3_600), text: "1h", allowsZero: false)

    /// `readerNodes`: the entries of `readers:`; only those of `readers` (the ones that parsed)
    /// are read. `topLevel`: the `filters:` node.
    static func read(readerNodes: [YAMLValue], readers: [ReaderConfig], topLevel: YAMLValue?) -> FilterConfiguration {
        var config = FilterConfiguration()
        for node in readerNodes {
            guard let idNode = child(node, "id"), case .scalar(let id) = idNode.node,
                  let reader = readers.first(where: { $0.id == id.string }) else { continue }
            if let filters = child(node, "filters"), let spec = readFilter(filters) { config.readers[reader.id] = spec }
            if let list = child(node, "referenceTags") { config.referenceTags += readReferences(list, reader: reader) }
        }
        if let topLevel, case .mapping(let mapping) = topLevel.node {
            let points = readers.flatMap(\.allReadPoints)
            for (key, value) in mapping.prefix(ConfigLimits.maxEntriesPerMap) {
                let name = key.string ?? "?"
                let entry = YAMLValue(node: value, file: topLevel.file, path: "filters.\(name)", diagnostics: topLevel.diagnostics)
                guard points.contains(name) else {
                    let hint = YAMLValue.closest(name, in: points).map { " (did you mean '\($0)'?)" } ?? ""
                    YAMLValue(node: key, file: topLevel.file, path: entry.path, diagnostics: topLevel.diagnostics)
                        .error("unknown read point '\(name)'\(hint)", expected: "a read point of a reader: \(points.joined(separator: ", "))")
                    continue
                }
                if let spec = readFilter(entry) { config.readPoints[name] = spec }
            }
        } else if let topLevel {
            topLevel.error("is \(topLevel.kind)", expected: "a mapping of read point to filter, e.g. filters: { door3-in: { rssiFloor: -60 } }")
        }
        return config
    }

    /// One `filters:` mapping.
    static func readFilter(_ value: YAMLValue) -> TagFilterSpec? {
        guard let map = value.mapping(allowed: filterKeys) else { return nil }
        var spec = TagFilterSpec()
        if let node = map["include"] { spec.include = readMatches(node) }
        if let node = map["exclude"] { spec.exclude = readMatches(node) }
        if let node = map["rssiFloor"], let dBm = node.int(in: rssiRange) { spec.rssiFloor = dBm }
        if let node = map["minReads"], let m = node.mapping(allowed: ["count", "within"]) {
            let example = "minReads: { count: 2, within: 1s }"
            let count = m["count"]?.int(in: 1...MinReads.maxCount)
            let within = m["within"]?.duration(minReadsWithin)
            if m["count"] == nil { node.error("missing key 'count'", expected: example) }
            if m["within"] == nil { node.error("missing key 'within'", expected: example) }
            if let count, let within { spec.minReads = MinReads(count: count, within: within) }
        }
        if map.isEmpty { value.error("the filter is empty", expected: "one or more of \(filterKeys.joined(separator: ", "))") }
        return spec
    }

    static func readMatches(_ value: YAMLValue) -> [TagMatch] {
        guard let entries = value.sequence(max: maxEntries) else { return [] }
        return entries.compactMap(readMatch)
    }

    /// One entry of `include:` or `exclude:`: conditions ANDed.
    static func readMatch(_ value: YAMLValue) -> TagMatch? {
        guard let m = value.mapping(allowed: matchKeys) else { return nil }
        var match = TagMatch()
        if let node = m["epcPrefix"], let text = node.string(maxLength: 40) {
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            let bits = parts.count == 2 ? Int(parts[1]) : nil
            if parts.count == 2 && bits == nil { match.epcPrefix = nil } else { match.epcPrefix = BitPrefix(hex: parts[0], bits: bits) }
            if match.epcPrefix == nil {
                node.error("'\(text)' is not an EPC prefix",
                           expected: "hex digits of the id's first bits, at most 32, optionally cut to a bit count: E280, 3034/14")
            }
        }
        if let node = m["keyPrefix"], let text = node.string() { match.keyPrefix = text }
        if let node = m["scheme"], let text = node.string() {
            if TagScheme.known.contains(text) { match.scheme = text } else {
                let hint = YAMLValue.closest(text, in: TagScheme.known).map { " (did you mean '\($0)'?)" } ?? ""
                node.error("unknown scheme '\(text)'\(hint)", expected: "one of \(TagScheme.known.joined(separator: ", "))")
            }
        }
        if let node = m["filterValue"], let v = node.int(in: 0...7) { match.filterValue = v }
        if let node = m["companyPrefix"], let text = node.string() {
            if (6...12).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }) { match.companyPrefix = text } else {
                node.error("'\(text)' is not a GS1 company prefix", expected: "6 to 12 digits, e.g. \"0614141\" (quoted keeps the leading zero)")
            }
        }
        if let node = m["pattern"], let source = node.string(maxLength: 512) {
            do { match.pattern = try Pattern(source) } catch {
                node.error("'\(source)' is not a valid regular expression: \(error)",
                           expected: "a regular expression over the asset key, such as ^urn:epc:id:sgtin:0614141\\.")
            }
        }
        if m.isEmpty { value.error("the entry has no condition", expected: "one or more of \(matchKeys.joined(separator: ", "))") }
        return match.isEmpty ? nil : match
    }

    static func readReferences(_ value: YAMLValue, reader: ReaderConfig) -> [ReferenceTagSpec] {
        guard let entries = value.sequence(max: maxEntries) else { return [] }
        let example = "{ tag: \"urn:epc:id:giai:0614141.99\", readPoint: \(reader.readPoint), expectEvery: 60s }"
        return entries.compactMap { entry -> ReferenceTagSpec? in
            guard let m = entry.mapping(allowed: referenceKeys) else { return nil }
            guard let tagNode = m["tag"] else {
                entry.error("missing key 'tag'", expected: example)
                return nil
            }
            guard let everyNode = m["expectEvery"] else {
                entry.error("missing key 'expectEvery'", expected: example)
                return nil
            }
            var point: String?
            if let node = m["readPoint"], let name = node.identifier() {
                if reader.allReadPoints.contains(name) { point = name } else {
                    let hint = YAMLValue.closest(name, in: reader.allReadPoints).map { " (did you mean '\($0)'?)" } ?? ""
                    node.error("'\(name)' is not a read point of reader '\(reader.id)'\(hint)",
                               expected: "one of \(reader.allReadPoints.joined(separator: ", "))")
                    return nil
                }
            }
            guard let text = tagNode.string(), let every = everyNode.duration(expectEvery) else { return nil }
            switch ReferenceTagSpec.Tag.parse(text) {
            case .success(let tag):
                return ReferenceTagSpec(tag: tag, reader: reader.id, readPoint: point, expectEvery: every)
            case .failure(let problem):
                tagNode.error("'\(text)' is \(problem.reason)", expected: "the tag's id in hex (300833B2DDD9014000000001) or its EPC URI (urn:epc:id:giai:0614141.99)")
                return nil
            }
        }
    }

    /// A key of a mapping node, read without reporting its other keys (the reader's own reader does).
    private static func child(_ value: YAMLValue, _ key: String) -> YAMLValue? {
        guard case .mapping(let mapping) = value.node else { return nil }
        for (k, v) in mapping where k.string == key {
            return YAMLValue(node: v, file: value.file, path: value.path + "." + key, diagnostics: value.diagnostics)
        }
        return nil
    }
}
