/// One problem in an expected-asset list, located so whoever exported it can fix the row:
/// `assets.csv:17: Asset Tag: LAP-00042 is listed twice (lines 3 and 17); keep one row per asset`.
public struct ExpectedListError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case empty, notUTF8, unclosedQuote, malformedCSV, malformedJSON, missingColumn, duplicateColumn
        case emptyValue, unknownZone, unknownLocation, duplicateKey, tooManyRows, notAnObject, tooLarge
    }

    public var kind: Kind
    /// Name of the list (the file name, or `request body`).
    public var source: String
    /// Physical line (1-based) where the record starts, or of the first bad byte; nil: the whole list.
    public var line: Int?
    /// The column (CSV header as written) or JSON field the problem is in.
    public var column: String?
    /// What is wrong.
    public var message: String
    /// What to do about it.
    public var fix: String

    public init(_ kind: Kind, source: String, line: Int?, column: String? = nil, message: String, fix: String) {
        self.kind = kind
        self.source = source
        self.line = line
        self.column = column
        self.message = message
        self.fix = fix
    }

    public var description: String {
        var text = source
        if let line { text += ":\(line)" }
        text += ": "
        if let column { text += "\(column): " }
        return text + message + "; " + fix
    }
}

/// Every problem found in one pass over a list (up to `shownLimit`, then a count), so a user
/// fixes them all in one edit instead of one per run.
public struct ExpectedListErrors: Error, Sendable, Hashable, CustomStringConvertible {
    public static let shownLimit = 20
    /// The first problems, in the order of the list.
    public var errors: [ExpectedListError]
    /// All problems found, including those not kept.
    public var total: Int

    public init(_ errors: [ExpectedListError], total: Int? = nil) {
        self.errors = errors
        self.total = total ?? errors.count
    }

    public var more: Int { max(0, total - errors.count) }

    public var description: String {
        var lines = errors.map(\.description)
        if more > 0 { lines.append("and \(more) more") }
        return lines.joined(separator: "\n")
    }
}

/// Collects problems while a list is read; keeps the first `ExpectedListErrors.shownLimit`.
struct ProblemCollector {
    let source: String
    private(set) var kept: [ExpectedListError] = []
    private(set) var total = 0

    init(source: String) { self.source = source }

    mutating func report(_ kind: ExpectedListError.Kind, line: Int?, column: String? = nil, _ message: String, fix: String) {
        total += 1
        if kept.count < ExpectedListErrors.shownLimit {
            kept.append(ExpectedListError(kind, source: source, line: line, column: column, message: message, fix: fix))
        }
    }

    var isEmpty: Bool { total == 0 }
    var errors: ExpectedListErrors { ExpectedListErrors(kept, total: total) }
}
