/// How the site view joins the gateways' streams into one picture.
public struct SiteSettings: Hashable, Sendable {
    /// A departure from one gateway followed within this time by an arrival at another is one
    /// site-level `moved`: the time a tag takes between two docks' readers (a corridor, a lift).
    /// Also how long a departure waits before it becomes a site `departed`.
    public var handoverWindow: Duration = .seconds(120)
    /// Events of different gateways are applied in event-time order, each held this long after
    /// it arrives so a slightly later-delivered event of another gateway can go before it. It
    /// bounds how far out of order two gateways' deliveries may be and still be ordered.
    public var reorderWindow: Duration = .seconds(2)
    /// A gap in one gateway's `seq` is waited on this long (the missing events may be in flight
    /// or redelivered), then skipped and reported.
    public var gapTimeout: Duration = .seconds(30)
    /// A gateway whose event times run ahead of the site's clock by more than this is reported
    /// (its events would otherwise sort after everyone else's).
    public var maxClockSkew: Duration = .seconds(5)
    /// Events held per gateway beyond a gap; past it the gap is skipped at once (a flood never
    /// grows the site's memory without bound).
    public var maxHeldPerGateway = 10_000
    /// Events held for time ordering across all gateways; past it the oldest is applied early.
    public var maxReorderHeld = 100_000

    public init(handoverWindow: Duration = .seconds(120), reorderWindow: Duration = .seconds(2),
                gapTimeout: Duration = .seconds(30), maxClockSkew: Duration = .seconds(5),
                maxHeldPerGateway: Int = 10_000, maxReorderHeld: Int = 100_000) {
        self.handoverWindow = handoverWindow
        self.reorderWindow = reorderWindow
        self.gapTimeout = gapTimeout
        self.maxClockSkew = maxClockSkew
        self.maxHeldPerGateway = maxHeldPerGateway
        self.maxReorderHeld = maxReorderHeld
    }

    /// What is wrong with these settings, each as a sentence for the configuration's error.
    public var problems: [String] {
        var out: [String] = []
        if handoverWindow < .zero { out.append("handoverWindow must not be negative") }
        if reorderWindow < .zero { out.append("reorderWindow must not be negative") }
        if gapTimeout < .zero { out.append("gapTimeout must not be negative") }
        if maxClockSkew < .zero { out.append("maxClockSkew must not be negative") }
        if maxHeldPerGateway < 1 { out.append("maxHeldPerGateway must be at least 1") }
        if maxReorderHeld < 1 { out.append("maxReorderHeld must be at least 1") }
        return out
    }
}
