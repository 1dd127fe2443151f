import TagwayModel

/// The `unknown` event a sink makes when its store knows no asset by a tag (Snipe-IT's
/// `forwardUnknown`): the asset as the movement named it, where it was going, and what the
/// store said, so whoever enrols assets sees the tag without reading the gateway's log.
public enum UnknownAssetEvent {
    public static func make(from event: MovementEvent, sink: String, message: String, id: String, time: Timestamp) -> MovementEvent {
        MovementEvent(id: id, type: .unknown, time: time, gateway: event.gateway, asset: event.asset, to: event.to,
                      readPoint: event.readPoint, reader: event.reader, rule: "sink:" + sink,
                      reason: "\(sink) knows no asset by this tag (event \(event.id)): \(String(message.prefix(200)))",
                      symbology: event.symbology)
    }
}
