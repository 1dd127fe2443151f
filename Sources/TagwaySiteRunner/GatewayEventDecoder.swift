import Foundation
import TagwayModel

/// Reads one message of the gateways' stream as the event contract's JSON (`MovementEvent.json`),
/// or says why it is not a Tagway event (the site counts, logs, acks and skips it).
enum GatewayEventDecoder {
    private struct Wire: Decodable {
        var id: String
        var seq: Int64?
        var type: String
        var time: String
        var gateway: String
        var asset: AssetRef
        var from: String?
        var to: String?
        var direction: String?
        var readPoint: String?
        var reader: String?
        var rssi: Int?
        var reads: Int?
        var rule: String?
        var reason: String?
        var symbology: String?
    }

    static func decode(_ payload: [UInt8]) -> Result<MovementEvent, DecodeFailure> {
        let wire: Wire
        do { wire = try JSONDecoder().decode(Wire.self, from: Data(payload)) } catch {
            return .failure(DecodeFailure(reason: "not the event JSON (\(payload.count) bytes): \(error)"))
        }
        guard let type = EventType(rawValue: wire.type) else { return .failure(DecodeFailure(reason: "unknown type '\(wire.type)'")) }
        guard let time = ISO8601Millis.parse(wire.time) else { return .failure(DecodeFailure(reason: "time '\(wire.time)' is not RFC 3339")) }
        var direction: Direction?
        if let text = wire.direction {
            guard let d = Direction(rawValue: text) else { return .failure(DecodeFailure(reason: "unknown direction '\(text)'")) }
            direction = d
        }
        var event = MovementEvent(id: wire.id, type: type, time: time, gateway: wire.gateway, asset: wire.asset)
        event.seq = wire.seq
        event.from = wire.from
        event.to = wire.to
        event.direction = direction
        event.readPoint = wire.readPoint
        event.reader = wire.reader
        event.rssi = wire.rssi
        event.reads = wire.reads
        event.rule = wire.rule
        event.reason = wire.reason
        event.symbology = wire.symbology
        return .success(event)
    }

    struct DecodeFailure: Error {
        var reason: String
    }
}
