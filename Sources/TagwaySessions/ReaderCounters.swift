import TagwayDecoders

/// A reader's counters, and the two keyed views the status JSON and the metrics publish under
/// their historic names (`errors`, `decodeDrops`).
public struct ReaderCounters: Hashable, Sendable {
    private var totals: [ReaderCounter: Int] = [:]

    public init() {}

    public subscript(_ counter: ReaderCounter) -> Int { totals[counter] ?? 0 }

    /// Adds `delta` (never negative: totals only grow), saturating rather than trapping.
    public mutating func add(_ delta: Int, to counter: ReaderCounter) {
        guard delta > 0 else { return }
        let (sum, overflow) = self[counter].addingReportingOverflow(delta)
        totals[counter] = overflow ? Int.max : sum
    }

    public var reconnects: Int { self[.reconnects] }

    /// Problems by key, as `errors` has always shown them: link failures by kind, input pauses
    /// (`input-paused`), decoder drops in bytes by reason, HID scan problems by name.
    public var errors: [String: Int] {
        var keyed: [String: Int] = [:]
        for (counter, total) in totals {
            switch counter {
            case .linkFailures(let kind): keyed[kind, default: 0] += total
            case .inputPauses: keyed["input-paused", default: 0] += total
            case .bytesDropped(let reason): keyed[reason.rawValue, default: 0] += total
            case .scanProblems(let problem): keyed[problem.rawValue, default: 0] += total
            case .conversationProblems(let kind): keyed[kind, default: 0] += total
            case .reconnects, .dropEvents: break
            }
        }
        return keyed
    }

    /// Decoder drops counted once per drop, by reason: `tagway_reader_decode_drops_total`.
    public var decodeDrops: [String: Int] {
        var keyed: [String: Int] = [:]
        for (counter, total) in totals {
            switch counter {
            case .dropEvents(let reason): keyed[reason.rawValue, default: 0] += total
            case .scanProblems(let problem): keyed[problem.rawValue, default: 0] += total
            case .reconnects, .linkFailures, .inputPauses, .bytesDropped, .conversationProblems: break
            }
        }
        return keyed
    }
}
