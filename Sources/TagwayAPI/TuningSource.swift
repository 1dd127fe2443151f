import TagwayModel

/// What `GET /v1/tuning` asks the gateway: one tag (by asset key or tag bytes) or one read point.
public enum TuningQuery: Sendable, Hashable {
    case asset(String)
    case tag(TagID)
    /// Every tag the read point hears; with `strongest`, also the tag view of the strongest one.
    case readPoint(String, strongest: Bool)
}

/// The gateway's answer: the JSON body, or the read point it does not know (404).
public enum TuningAnswer: Sendable, Hashable {
    case json(String)
    case unknownReadPoint(String)
}

/// Where `GET /v1/tuning` gets the movement engine's evidence; the gateway implements it. The
/// API does not depend on the engine, and nothing is computed until a request asks.
public protocol TuningSource: Sendable {
    func tuning(_ query: TuningQuery) async throws -> TuningAnswer
}
