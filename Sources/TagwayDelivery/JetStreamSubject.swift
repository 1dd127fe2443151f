import TagwayModel

/// The JetStream sink's subject for one event, from the `subject` template, and the checks the
/// configuration makes on templates and stream subjects.
///
/// A NATS subject is tokens separated by `.`; a token cannot be empty or hold a space, a tab,
/// `*` or `>` (the wildcards). An id from the site's configuration may hold any of those, so
/// every value is sanitised: a forbidden character becomes `_`, a missing value `-`. The
/// template's own dots are the only separators, so one event can never land on a subject that
/// another gateway's or site's filter would take.
public enum JetStreamSubject {
    public static let defaultTemplate = "tagway.{site}.{gateway}.{type}"

    public static func render(_ template: String, _ event: MovementEvent, site: String) -> String {
        SubjectTemplate.render(template, event, site: site, sanitize: sanitize)
    }

    /// One value as one subject token.
    public static func sanitize(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return "-" }
        return String(value.map { forbidden($0) ? "_" : $0 })
    }

    static func forbidden(_ c: Character) -> Bool {
        c == "." || c == "*" || c == ">" || c.isWhitespace || c.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// Why `template` cannot make a publish subject (nil: it can). Rendered with sample values,
    /// so a placeholder counts as one good token.
    public static func problem(inTemplate template: String) -> String? {
        var sample = template
        for placeholder in SubjectTemplate.placeholders { sample = sample.replacing(placeholder, with: "x") }
        if sample.contains("{") || sample.contains("}") {
            return "unknown placeholder (known: \(SubjectTemplate.placeholders.joined(separator: ", ")))"
        }
        return problem(inSubject: sample, wildcards: false)
    }

    /// Why `subject` is not a valid subject (a filter when `wildcards`), or nil.
    public static func problem(inSubject subject: String, wildcards: Bool) -> String? {
        guard !subject.isEmpty else { return "the subject is empty" }
        let tokens = subject.split(separator: ".", omittingEmptySubsequences: false)
        for (index, token) in tokens.enumerated() {
            if token.isEmpty { return "an empty token (two dots, or a dot at an end)" }
            if wildcards, token == "*" { continue }
            if wildcards, token == ">" {
                if index != tokens.count - 1 { return "'>' is not the last token" }
                continue
            }
            if token.contains(where: forbidden) {
                return wildcards ? "token '\(token)' holds a space, '*' or '>' (a wildcard is a whole token)"
                    : "token '\(token)' holds a space or a wildcard ('*', '>'), which a published subject cannot"
            }
        }
        return nil
    }

    /// Whether `filter` (tokens, `*` one token, `>` the rest) takes `subject`.
    public static func matches(filter: String, subject: String) -> Bool { covers(filter: filter, pattern: subject) }

    /// Whether some filter of `filters` takes every subject the template can make: the template
    /// is matched with each placeholder as a `*`-like token, so `tagway.>` covers
    /// `tagway.{site}.{gateway}.{type}` and `tagway.hq.dock.*` does not (another gateway's
    /// value). `site` nil (not known yet, as when one sink entry is read) is a placeholder too.
    public static func covered(template: String, site: String?, by filters: [String]) -> Bool {
        var pattern = site.map { template.replacing("{site}", with: sanitize($0)) } ?? template
        for placeholder in SubjectTemplate.placeholders { pattern = pattern.replacing(placeholder, with: "*") }
        return filters.contains { covers(filter: $0, pattern: pattern) }
    }

    /// The stream subjects a template needs when none are configured: its literal leading
    /// tokens and `>` (`tagway.{site}.…` → `tagway.>`); nil when it starts with a placeholder.
    public static func defaultFilter(for template: String) -> String? {
        let literal = template.split(separator: ".", omittingEmptySubsequences: false).prefix { !$0.contains("{") }
        guard !literal.isEmpty else { return nil }
        return literal.joined(separator: ".") + ".>"
    }

    /// Whether `filter` takes every subject `pattern` (with `*` tokens) stands for.
    static func covers(filter: String, pattern: String) -> Bool {
        let f = filter.split(separator: ".", omittingEmptySubsequences: false)
        let p = pattern.split(separator: ".", omittingEmptySubsequences: false)
        for (index, token) in f.enumerated() {
            if token == ">" { return p.count > index }
            guard index < p.count else { return false }
            if token == "*" { continue }
            if token != p[index] { return false }
        }
        return f.count == p.count
    }
}
