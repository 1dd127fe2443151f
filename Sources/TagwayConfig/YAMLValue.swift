import Foundation
import Yams

/// A YAML node with where it came from (file, line, column, key path), and typed accessors that
/// report mistakes to `Diagnostics` instead of failing on the first one.
struct YAMLValue {
    let node: Node
    let file: String
    let path: String
    let diagnostics: Diagnostics

    var line: Int { node.mark?.line ?? 1 }
    var column: Int { node.mark?.column ?? 1 }

    func error(_ message: String, expected: String? = nil) {
        diagnostics.report(ConfigError(file: file, line: line, column: column, key: path, message: message, expected: expected))
    }

    func warning(_ message: String, expected: String? = nil) {
        diagnostics.warn(ConfigError(file: file, line: line, column: column, key: path, message: message, expected: expected))
    }

    private func child(_ node: Node, _ key: String) -> YAMLValue {
        YAMLValue(node: node, file: file, path: path.isEmpty ? key : "\(path).\(key)", diagnostics: diagnostics)
    }

    /// The mapping's entries; unknown keys are reported with the allowed ones (and a likely
    /// intended key for a typo).
    func mapping(allowed: [String]) -> [String: YAMLValue]? {
        guard case .mapping(let mapping) = node else {
            error("is \(kind)", expected: "a mapping with keys \(allowed.joined(separator: ", "))")
            return nil
        }
        let allowedKeys = Set(allowed)
        var out: [String: YAMLValue] = [:]
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else {
                child(keyNode, "?").error("a key must be text")
                continue
            }
            let value = child(valueNode, key)
            if !allowedKeys.contains(key) {
                let hint = Self.closest(key, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                YAMLValue(node: keyNode, file: file, path: value.path, diagnostics: diagnostics)
                    .error("unknown key\(hint)", expected: "one of \(allowed.joined(separator: ", "))")
                continue
            }
            if out[key] != nil {
                YAMLValue(node: keyNode, file: file, path: value.path, diagnostics: diagnostics).error("key given twice")
            }
            out[key] = value
        }
        return out
    }

    /// The list's entries; a list longer than `max` is reported and only its first `max` entries read.
    func sequence(max: Int = ConfigLimits.maxEntriesPerMap) -> [YAMLValue]? {
        guard case .sequence(let sequence) = node else {
            error("is \(kind)", expected: "a list")
            return nil
        }
        if sequence.count > max {
            error("the list has \(sequence.count) entries", expected: "at most \(max)")
        }
        return sequence.prefix(max).enumerated().map { index, node in
            YAMLValue(node: node, file: file, path: "\(path)[\(index)]", diagnostics: diagnostics)
        }
    }

    /// Non-empty text of at most `maxLength` characters (counted in UTF-8 bytes, which bounds
    /// memory whatever the script).
    func string(maxLength: Int = ConfigLimits.maxTextLength) -> String? {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            error("is \(kind)", expected: "text")
            return nil
        }
        let length = scalar.string.utf8.count
        guard length <= maxLength else {
            error("the text is \(length) characters long", expected: "at most \(maxLength) characters")
            return nil
        }
        return scalar.string
    }

    /// An identifier: letters, digits, `-`, `_`, `.`, `/`; it appears in events and URLs.
    func identifier() -> String? {
        guard let text = string(maxLength: ConfigLimits.maxIDLength) else { return nil }
        let allowed = text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_./".unicodeScalars.contains($0)
        }
        guard allowed else {
            error("'\(text)' has characters not allowed in an id", expected: "letters, digits, '-', '_', '.', '/'")
            return nil
        }
        return text
    }

    /// The id of a list entry (reader, zone, rule, sink): reported as missing, with an example,
    /// when absent, and checked as an identifier when given.
    func requiredID(in map: [String: YAMLValue], example: String) -> String? {
        guard let node = map["id"] else {
            error("missing key 'id'", expected: "a unique id such as \(example)")
            return nil
        }
        return node.identifier()
    }

    /// An integer, also in hex (`0x05e0`), as USB ids are written.
    func int(in range: ClosedRange<Int>? = nil) -> Int? {
        guard case .scalar(let scalar) = node else {
            error("is \(kind)", expected: "a whole number")
            return nil
        }
        let text = scalar.string
        let value: Int? = text.lowercased().hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text)
        guard let value else {
            error("'\(text)' is not a whole number", expected: range.map { "a whole number in \($0.lowerBound)...\($0.upperBound)" } ?? "a whole number")
            return nil
        }
        if let range, !range.contains(value) {
            error("\(value) is out of range", expected: "\(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return value
    }

    func bool() -> Bool? {
        guard let value = node.bool else {
            error("is \(kind)", expected: "true or false")
            return nil
        }
        return value
    }

    /// A duration: `500ms`, `10s`, `2m`, `1h`, `1d`, or a bare number of seconds, from zero (or
    /// just above it) up to `bound.max`. Checked as a `Double` before any conversion, so `1e30s`,
    /// `.inf` or `.nan` is an error with the allowed range, never a trap.
    func duration(_ bound: ConfigLimits.DurationBound) -> Duration? {
        let floor = bound.min.map { "from \($0.1)" } ?? (bound.allowsZero ? "from 0" : "above 0")
        let expected = "a duration such as 500ms, 10s, 2m, \(floor) up to \(bound.text)"
        guard case .scalar(let scalar) = node else {
            error("is \(kind)", expected: expected)
            return nil
        }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        var parsed: Double?
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let number = Self.plainNumber(text.dropLast(suffix.count)) { parsed = number * scale * 1000 }
            break
        }
        if parsed == nil, let seconds = Self.plainNumber(Substring(text)) { parsed = seconds * 1000 }
        guard let milliseconds = parsed else {
            let lower = text.lowercased()
            let why = lower.contains("inf") || lower.contains("nan") ? "is not a finite duration" : "is not a duration"
            error("'\(scalar.string)' \(why)", expected: expected)
            return nil
        }
        if milliseconds < 0 {
            error("'\(scalar.string)' is negative", expected: expected)
            return nil
        }
        let maxMilliseconds = Double(bound.max.wholeMilliseconds)
        guard milliseconds <= maxMilliseconds else {
            error("'\(scalar.string)' is too long", expected: expected)
            return nil
        }
        let whole = Int64(milliseconds.rounded())
        if whole == 0 && !bound.allowsZero || bound.min.map({ whole < $0.0.wholeMilliseconds }) == true {
            error("'\(scalar.string)' is too short", expected: expected)
            return nil
        }
        return .milliseconds(whole)
    }

    /// A finite decimal number (`10`, `1.5`, `1e3`), as `Double` reads it; nil for anything else,
    /// including `inf`, `nan` and hex floats.
    static func plainNumber(_ text: Substring) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
              let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// A list of identifiers, also accepting a single one.
    func identifiers() -> [String]? {
        if case .scalar = node { return identifier().map { [$0] } }
        return sequence(max: ConfigLimits.maxNamesPerList)?.compactMap { $0.identifier() }
    }

    /// A flat map of scalar settings (`key: value`), as protocol settings are given.
    func settings() -> [String: String]? {
        guard case .mapping(let mapping) = node else {
            error("is \(kind)", expected: "a mapping of settings")
            return nil
        }
        if mapping.count > ConfigLimits.maxEntriesPerMap {
            error("\(mapping.count) settings", expected: "at most \(ConfigLimits.maxEntriesPerMap)")
            return nil
        }
        var out: [String: String] = [:]
        for (key, value) in mapping {
            guard let k = key.string, case .scalar(let scalar) = value else {
                child(value, key.string ?? "?").error("a setting must be a plain value")
                continue
            }
            out[k] = scalar.string
        }
        return out
    }

    var kind: String {
        switch node {
        case .scalar(let s): s.string.isEmpty ? "empty" : "the value '\(s.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// The candidate nearest to `key` by edit distance, for "did you mean"; nothing for a long
    /// key or a long list, where the quadratic distance would cost more than the hint is worth.
    static func closest(_ key: String, in candidates: [String]) -> String? {
        guard key.count <= 64, candidates.count <= 1_000 else { return nil }
        let scored = candidates.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, key.count / 3) else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let saved = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = saved
            }
        }
        return row[b.count]
    }
}

/// Parses YAML text into a node, turning a syntax error into a located `ConfigError`.
enum YAMLDocument {
    static func parse(_ text: String, file: String) throws(ConfigErrors) -> Node {
        let size = text.utf8.count
        if size > ConfigLimits.maxFileBytes {
            throw ConfigErrors([ConfigError(file: file, line: 0, column: 0, key: "", message: "the text is \(size) bytes",
                                            expected: "at most \(ConfigLimits.maxFileBytes) bytes (1 MiB)")])
        }
        try YAMLResourceCheck.check(text, file: file)
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigErrors([ConfigError(file: file, line: 1, column: 1, key: "", message: "the file is empty",
                                                expected: "a YAML mapping")])
            }
            return node
        } catch let error as ConfigErrors {
            throw error
        } catch let error as YamlError {
            throw ConfigErrors([locate(error, file: file)])
        } catch {
            throw ConfigErrors([ConfigError(file: file, line: 1, column: 1, key: "", message: "\(error)")])
        }
    }

    private static func locate(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case .duplicatedKeysInMapping(let duplicates, let context):
            // Keys that are equal only as YAML values (`1` and `0x1`); plain text repeats are
            // found, at the second key, by `YAMLResourceCheck`.
            return ConfigError(file: file, line: context.mark.line, column: context.mark.column, key: "",
                               message: "key given twice: \(duplicates.joined(separator: ", "))", expected: "each key once in a mapping")
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let ctx = context.map { " \($0.text)" } ?? ""
            return ConfigError(file: file, line: mark.line, column: mark.column, key: "",
                               message: "YAML syntax error: \(problem)\(ctx)")
        default:
            return ConfigError(file: file, line: 1, column: 1, key: "", message: "YAML error: \(error)")
        }
    }
}
