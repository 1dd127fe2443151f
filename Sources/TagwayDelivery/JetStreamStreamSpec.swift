/// The stream the JetStream sink publishes into, as the configuration wants it, and the
/// decision at start from what the server has: create it, use it, or use it with warnings.
///
/// A stream that exists is never changed by a gateway: several gateways of a site share one
/// stream, and the one that starts first must not win a tug of war over its settings. So a
/// difference is a warning for the operator, except when the stream cannot take the sink's
/// subjects (every publish would fail with "no responders"), which stops the sink's start.
public struct JetStreamStreamSpec: Sendable, Hashable {
    public var name: String
    public var subjects: [String]
    public var replicas: Int
    /// nil: no age limit.
    public var maxAge: Duration?
    /// The `Nats-Msg-Id` de-duplication window.
    public var duplicateWindow: Duration
    /// Whether the sink may create the stream when it is missing.
    public var create: Bool

    public init(name: String, subjects: [String], replicas: Int = 1, maxAge: Duration? = nil,
                duplicateWindow: Duration = .seconds(120), create: Bool = true) {
        self.name = name
        self.subjects = subjects
        self.replicas = replicas
        self.maxAge = maxAge
        self.duplicateWindow = duplicateWindow
        self.create = create
    }

    /// What the server reports of an existing stream.
    public struct Existing: Sendable, Hashable {
        public var subjects: [String]
        public var replicas: Int
        /// nil: no age limit (the server says 0).
        public var maxAge: Duration?
        public var duplicateWindow: Duration

        public init(subjects: [String], replicas: Int, maxAge: Duration?, duplicateWindow: Duration) {
            self.subjects = subjects
            self.replicas = replicas
            self.maxAge = maxAge
            self.duplicateWindow = duplicateWindow
        }
    }

    public enum Decision: Sendable, Hashable {
        /// Missing and `create`: add the stream as specified.
        case create
        /// Missing and not `create`: the sink cannot start (retried: the stream may be added).
        case missing(String)
        /// There, and it takes the sink's subjects; `warnings` name each other difference.
        case use(warnings: [String])
        /// There, but it does not take every subject the sink publishes on.
        case unusable(String)
    }

    /// Decides from `existing` (nil: the server has no stream of that name). `template` and
    /// `site` give the sink's subjects; `worstRetry` (`worstRetry(policy:ackTimeout:)`) is
    /// checked against the window the stream really has, which a stream made elsewhere sets.
    public func decide(existing: Existing?, template: String, site: String, worstRetry: Duration? = nil) -> Decision {
        guard let existing else {
            return create ? .create
                : .missing("stream '\(name)' does not exist and stream.create is false: add it (nats stream add \(name)) or set create: true")
        }
        guard JetStreamSubject.covered(template: template, site: site, by: existing.subjects) else {
            return .unusable("stream '\(name)' takes subjects \(existing.subjects), which do not cover the sink's subject "
                + "'\(template)' (site \(site)): add a subject such as \(subjects.first ?? "tagway.>") to the stream")
        }
        var warnings: [String] = []
        if existing.replicas != replicas {
            warnings.append("stream '\(name)' has \(existing.replicas) replicas, the configuration says \(replicas)")
        }
        if existing.maxAge != maxAge {
            warnings.append("stream '\(name)' keeps messages for \(Self.text(existing.maxAge)), the configuration says \(Self.text(maxAge))")
        }
        if existing.duplicateWindow < duplicateWindow {
            warnings.append("stream '\(name)' de-duplicates over \(existing.duplicateWindow), shorter than the configured "
                + "\(duplicateWindow): an event retried after that is stored twice")
        } else if let worstRetry, existing.duplicateWindow < worstRetry {
            warnings.append("stream '\(name)' de-duplicates over \(existing.duplicateWindow), shorter than this sink's worst "
                + "retry (\(worstRetry)): an event retried after that is stored twice")
        }
        if Set(existing.subjects) != Set(subjects) {
            warnings.append("stream '\(name)' takes subjects \(existing.subjects), the configuration says \(subjects)")
        }
        return .use(warnings: warnings)
    }

    /// The longest time between two publishes of one event by a running sink: the longest
    /// backoff, plus the wait for the PubAck of the attempt before it. A de-duplication window
    /// shorter than this stores an event twice after a long enough outage.
    public static func worstRetry(policy: DeliveryPolicy, ackTimeout: Duration) -> Duration {
        max(policy.retryMax, policy.retryInitial) + ackTimeout
    }

    static func text(_ age: Duration?) -> String { age.map { "\($0)" } ?? "ever" }
}
