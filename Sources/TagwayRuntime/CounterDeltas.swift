/// Turns running totals the gateway already keeps (frames per reader, engine counters) into the
/// increments a Prometheus counter takes, so the published counter only ever goes up.
///
/// A total that went down means its source started again from zero (a reader session made
/// anew, an engine rebuilt): what it counted since is the increment, as Prometheus's own
/// `rate()` treats a counter reset. Shared by the gateway's and the site's `/metrics`.
public struct CounterDeltas: Sendable {
    private var last: [String: Int] = [:]

    public init() {}

    /// The increment for the series `key`, now that its source's total is `total`.
    public mutating func advance(_ key: String, to total: Int) -> Int {
        let total = max(0, total)
        let previous = last.updateValue(total, forKey: key) ?? 0
        return total >= previous ? total - previous : total
    }
}
