/// How many events each group-commit transaction carried, counted in fixed power-of-two buckets.
///
/// Group commit only pays when transactions carry many events: this says whether they do under
/// real load (the pipeline benchmark prints it, `/metrics` exports it as
/// `tagway_log_commit_batch_events`). Fixed buckets keep the record bounded and a commit's cost
/// to one increment; a percentile is therefore a bucket's upper bound (at most the largest batch
/// seen), exact to within a factor of two, which is what a batch-size question needs.
public struct CommitBatchSizes: Sendable, Hashable {
    /// The largest batch each bucket holds: 0 (asset rows alone, no event), 1, 2, 4, … 2^20.
    /// One more bucket, past the last bound, holds anything larger.
    public static let upperBounds: [Int] = [0] + (0...20).map { 1 << $0 }

    /// Commits per bucket: `upperBounds.count + 1` entries, the last one for batches above
    /// the last bound.
    public private(set) var counts: [Int]
    /// Transactions recorded.
    public private(set) var commits: Int
    /// Events they carried together.
    public private(set) var events: Int
    /// The largest batch recorded (0 before any).
    public private(set) var largest: Int

    public init() {
        counts = Array(repeating: 0, count: Self.upperBounds.count + 1)
        commits = 0
        events = 0
        largest = 0
    }

    /// Counts one transaction of `events` events. Totals stop at `Int.max` instead of wrapping:
    /// a record that has saturated still orders its buckets correctly.
    public mutating func record(events batch: Int) {
        let size = max(0, batch)
        let bucket = Self.bucket(of: size)
        counts[bucket] = Self.adding(counts[bucket], 1)
        commits = Self.adding(commits, 1)
        events = Self.adding(events, size)
        largest = max(largest, size)
    }

    /// The bucket a batch of `size` events falls in: 0 for none, then one per power of two
    /// (1, 2, 3–4, 5–8, …), the last for anything above `upperBounds.last`.
    static func bucket(of size: Int) -> Int {
        guard size > 0 else { return 0 }
        let width = Int.bitWidth - (size - 1).leadingZeroBitCount
        return min(1 + width, upperBounds.count)
    }

    /// The batch size that `percent` per cent of commits did not exceed, as the upper bound of
    /// the bucket holding that commit (never above the largest batch seen); nil before any commit.
    public func percentile(_ percent: Double) -> Int? {
        guard commits > 0 else { return nil }
        let share = percent.isNaN ? 100 : min(100, max(0, percent))
        // Known exactly, even once saturated counts no longer tell the last commit's bucket.
        if share == 100 { return largest }
        // Double(Int.max) is 2^63, one past Int.max: a rank that far is the last commit.
        let exact = (share / 100 * Double(commits)).rounded(.up)
        let rank = exact >= Double(Int.max) ? commits : max(1, Int(exact))
        var seen = 0
        for (bucket, count) in counts.enumerated() {
            seen = Self.adding(seen, count)
            if seen >= rank { return bucket < Self.upperBounds.count ? min(Self.upperBounds[bucket], largest) : largest }
        }
        return largest
    }

    /// Mean events per commit; nil before any commit.
    public var mean: Double? { commits > 0 ? Double(events) / Double(commits) : nil }

    /// The buckets that hold commits, as (largest batch of the bucket or nil past the last bound,
    /// commits), smallest first: what a benchmark prints under its figures.
    public var nonEmptyBuckets: [(upTo: Int?, commits: Int)] {
        counts.indices.compactMap { bucket in
            guard counts[bucket] > 0 else { return nil }
            return (bucket < Self.upperBounds.count ? Self.upperBounds[bucket] : nil, counts[bucket])
        }
    }

    /// One line for a benchmark's output: commits, mean, p50/p90/p99 and the largest batch.
    public var summary: String {
        guard let mean, let p50 = percentile(50), let p90 = percentile(90), let p99 = percentile(99) else {
            return "no commits"
        }
        return "\(commits) commits, \(events) events: mean \((mean * 10).rounded() / 10) events/commit, "
            + "p50 ≤\(p50) p90 ≤\(p90) p99 ≤\(p99), max \(largest)"
    }

    private static func adding(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }

    /// For tests of saturation: a record whose totals are already near the limit.
    init(counts: [Int], commits: Int, events: Int, largest: Int) {
        self.counts = counts
        self.commits = commits
        self.events = events
        self.largest = largest
    }
}
