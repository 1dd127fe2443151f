import TagwayModel

/// The one placeholder filler of the sinks that route by event (MQTT topics, JetStream
/// subjects): `{site}`, `{gateway}`, `{type}`, `{zone}`, `{readPoint}`, `{reader}`. Each sink
/// passes its own `sanitize`, because what a value must not contain differs (MQTT: `/`, `+`,
/// `#`; NATS: `.`, spaces, `*`, `>`), so a value can never add a level or a wildcard.
public enum SubjectTemplate {
    /// The placeholders a template may use, for the configuration's check.
    public static let placeholders = ["{site}", "{gateway}", "{type}", "{zone}", "{readPoint}", "{reader}"]

    /// The event's zone as routing sees it: where a departure left from, else where it arrived.
    public static func zone(of event: MovementEvent) -> String? {
        event.type == .departed ? (event.from ?? event.readPoint) : (event.to ?? event.from ?? event.readPoint)
    }

    /// `template` with every placeholder replaced by `sanitize(value)` (nil: the value is absent).
    public static func render(_ template: String, _ event: MovementEvent, site: String?,
                              sanitize: (String?) -> String) -> String {
        let values: [(String, String?)] = [
            ("{site}", site), ("{gateway}", event.gateway), ("{type}", event.type.rawValue), ("{zone}", zone(of: event)),
            ("{readPoint}", event.readPoint), ("{reader}", event.reader),
        ]
        var text = template
        for (placeholder, value) in values where text.contains(placeholder) {
            text = text.replacing(placeholder, with: sanitize(value))
        }
        return text
    }
}
