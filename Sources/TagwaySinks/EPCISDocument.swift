import TagwayModel

/// Movement events as GS1 EPCIS 2.0 ObjectEvents in JSON-LD (action OBSERVE), pure so tests
/// check the document field by field.
///
/// `eventID` is `urn:uuid:` + the event's own id: the id is minted once and stored, so a
/// redelivered event carries the same eventID and the repository can drop the duplicate.
public enum EPCISDocument {
    public struct Zone: Sendable, Hashable {
        public var readPoint: String
        public var bizLocation: String

        public init(readPoint: String, bizLocation: String) {
            self.readPoint = readPoint
            self.bizLocation = bizLocation
        }
    }

    /// CBV business step for an event type; nil for events that are not object observations
    /// (alerts, audits): the sink leaves them out and counts them delivered.
    public static func bizStep(_ event: MovementEvent) -> String? {
        switch event.type {
        case .arrived, .moved, .observed: "arriving"
        case .departed: "departing"
        case .passed: "entering_exiting"
        case .alert, .audit, .unknown: nil
        }
    }

    /// The zone the observation is about: where it went, or for a departure where it left.
    public static func zone(_ event: MovementEvent) -> String? {
        event.type == .departed ? (event.from ?? event.readPoint) : (event.to ?? event.from ?? event.readPoint)
    }

    /// EPC URIs go into `epcList` as they are; other keys become a `urn:tagway:asset:` URI.
    public static func epc(_ event: MovementEvent) -> String {
        let key = event.asset.key
        return key.hasPrefix("urn:") || key.hasPrefix("https://") ? key : "urn:tagway:asset:" + key
    }

    public static func objectEvent(_ event: MovementEvent, zones: [String: Zone]) -> String? {
        guard let step = bizStep(event) else { return nil }
        var w = JSONObjectWriter()
        w.string("type", "ObjectEvent")
        w.string("eventID", "urn:uuid:" + event.id)
        w.string("eventTime", event.time.iso8601)
        w.string("eventTimeZoneOffset", "+00:00")
        w.raw("epcList", "[" + JSONObjectWriter.quote(epc(event)) + "]")
        w.string("action", "OBSERVE")
        w.string("bizStep", step)
        if let zone = zone(event).flatMap({ zones[$0] }) {
            var readPoint = JSONObjectWriter()
            readPoint.string("id", zone.readPoint)
            w.raw("readPoint", readPoint.finish())
            var location = JSONObjectWriter()
            location.string("id", zone.bizLocation)
            w.raw("bizLocation", location.finish())
        }
        return w.finish()
    }

    /// An EPCISDocument with the batch's observations; nil when none of the events is one.
    public static func document(_ events: [MovementEvent], zones: [String: Zone], created: Timestamp) -> String? {
        let list = events.compactMap { objectEvent($0, zones: zones) }
        guard !list.isEmpty else { return nil }
        var w = JSONObjectWriter()
        w.raw("@context", "[\"https://ref.gs1.org/standards/epcis/epcis-context.jsonld\"]")
        w.string("type", "EPCISDocument")
        w.string("schemaVersion", "2.0")
        w.string("creationDate", created.iso8601)
        w.raw("epcisBody", "{\"eventList\":[" + list.joined(separator: ",") + "]}")
        return w.finish()
    }
}
