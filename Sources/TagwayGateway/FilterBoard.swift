import Synchronization
import TagwayAPI
import TagwayFilters
import TagwayModel
import TagwayRuntime

/// What the filters dropped, per reader and reason, and the reference tags' states: written by
/// the pipeline once per batch that had any (never per read), read by status, `/readyz` and
/// the metrics. Totals since start, so they survive a reload and only grow.
public final class FilterBoard: Sendable {
    private struct State {
        var counts: [String: FilterCounts] = [:]
        var references: [ReferenceTagState] = []
    }

    private let state = Mutex(State())
    private let changes: ChangeSignal?

    public init(changes: ChangeSignal? = nil) { self.changes = changes }

    func add(_ counts: FilterCounts, reader: String) {
        state.withLock { $0.counts[reader, default: FilterCounts()].add(counts) }
        changes?.signal()
    }

    func publish(_ references: [ReferenceTagState]) {
        state.withLock { $0.references = references }
        changes?.signal()
    }

    public func counts(reader: String) -> FilterCounts? { state.withLock { $0.counts[reader] } }

    public var allCounts: [String: FilterCounts] { state.withLock { $0.counts } }

    public var references: [ReferenceTagState] { state.withLock { $0.references } }

    /// The reference tags' warnings at `now`, by reader.
    public func warnings(at now: Timestamp) -> [(reader: String, warning: String)] {
        references.compactMap { state in state.warning(at: now).map { (state.spec.reader, $0) } }
    }

    /// `/readyz`'s lines for missing reference tags: warnings, not failures. A missing reference
    /// tag says an antenna may be off, but the gateway still takes every read the others make:
    /// taking it out of a load balancer would lose those too.
    func readinessChecks(at now: Timestamp) -> [Readiness.Check] {
        warnings(at: now).map { Readiness.Check(name: "reference:\($0.reader)", ok: true, detail: "warning: " + $0.warning) }
    }

    /// The reader's status object with its filter figures added: `filtered` (drops by reason),
    /// `referenceReads`, `referenceTags` and `warnings`, when the reader has any.
    func adding(to object: String, reader: String, at now: Timestamp) -> String {
        let (counts, references) = state.withLock { ($0.counts[reader], $0.references.filter { $0.spec.reader == reader }) }
        guard counts != nil || !references.isEmpty, object.hasSuffix("}") else { return object }
        var w = JSONObjectWriter()
        var f = JSONObjectWriter()
        for reason in FilterDropReason.allCases { f.number(reason.rawValue, Int64(counts?[reason] ?? 0)) }
        w.raw("filtered", f.finish())
        w.number("referenceReads", Int64(counts?.referenceReads ?? 0))
        if !references.isEmpty {
            w.raw("referenceTags", "[" + references.map { Self.json($0, at: now) }.joined(separator: ",") + "]")
            let warnings = references.compactMap { $0.warning(at: now) }
            w.raw("warnings", "[" + warnings.map(JSONObjectWriter.quote).joined(separator: ",") + "]")
        }
        let fields = w.finish().dropFirst().dropLast()
        let inner = object.dropLast()
        return String(inner) + (inner.hasSuffix("{") ? "" : ",") + String(fields) + "}"
    }

    static func json(_ state: ReferenceTagState, at now: Timestamp) -> String {
        var w = JSONObjectWriter()
        w.string("tag", state.spec.tag.description)
        if let point = state.spec.readPoint { w.string("readPoint", point) }
        w.number("expectEverySeconds", state.spec.expectEvery.wholeMilliseconds / 1000)
        if let seen = state.lastSeen { w.string("lastSeen", seen.iso8601) }
        w.number("reads", Int64(state.reads))
        w.bool("missing", state.isMissing(at: now))
        return w.finish()
    }
}
