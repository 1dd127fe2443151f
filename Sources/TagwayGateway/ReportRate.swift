import TagwayModel

/// Reports per second of a network reader, from the running totals its conversation gives with
/// its details: over the last completed window of at least `window`, like `framesPerSecond`, so a
/// report that came in a burst does not make the rate jump.
public struct ReportRate: Sendable, Hashable {
    public static let window: Duration = .seconds(10)

    private var start: Timestamp?
    private var startTotal = 0
    /// Nil until a window has completed.
    public private(set) var perSecond: Double?

    public init() {}

    /// The conversation's total at `time`. A total below the window's start (a conversation that
    /// counts per connection) starts a new window.
    public mutating func sample(_ total: Int, at time: Timestamp) {
        guard let start, total >= startTotal, time >= start else {
            (self.start, startTotal) = (time, total)
            return
        }
        let elapsed = time - start
        guard elapsed >= Self.window else { return }
        perSecond = Double(total - startTotal) * 1000 / Double(elapsed.wholeMilliseconds)
        (self.start, startTotal) = (time, total)
    }
}
