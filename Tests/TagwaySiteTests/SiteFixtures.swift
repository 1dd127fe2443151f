import TagwayModel
@testable import TagwaySite

/// Gateway events as a gateway's log numbers them: `seq` per gateway, ids unique.
struct GatewayStream {
    let gateway: String
    var seq: Int64 = 0

    init(_ gateway: String) { self.gateway = gateway }

    mutating func event(_ type: EventType, _ asset: String, at ms: Int64, from: String? = nil, to: String? = nil,
                        direction: Direction? = nil) -> MovementEvent {
        seq += 1
        return MovementEvent(id: "\(gateway)-\(seq)", seq: seq, type: type, time: Timestamp(milliseconds: ms), gateway: gateway,
                             asset: AssetRef(key: asset, scheme: "giai", raw: asset), from: from, to: to, direction: direction)
    }
}

func at(_ ms: Int64) -> Timestamp { Timestamp(milliseconds: ms) }

extension SiteOutput {
    var summary: [String] {
        events.map { event in
            [event.type.rawValue, event.asset.key, event.from?.description ?? "-", event.to?.description ?? "-",
             event.rule ?? "", "t=\(event.time.milliseconds)", event.causes.joined(separator: "+")]
                .filter { !$0.isEmpty }.joined(separator: " ")
        }
    }
}
