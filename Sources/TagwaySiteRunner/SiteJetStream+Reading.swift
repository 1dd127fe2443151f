import CNATS
import Foundation

/// Reading streams back, as the tests check the site's output (the site events, how many
/// messages, the replicas the server has), never on the consuming path.
extension SiteJetStream {
    /// How many messages `stream` holds (0 when it does not exist).
    func messageCount(_ stream: String) -> UInt64 {
        var info: UnsafeMutablePointer<jsStreamInfo>?
        var code = jsErrCode(0)
        guard js_GetStreamInfo(&info, js, stream, nil, &code) == NATS_OK, let info else { return 0 }
        defer { jsStreamInfo_Destroy(info) }
        return info.pointee.State.Msgs
    }

    /// The stream's replicas as the server has them (0 when it does not exist).
    func replicas(ofStream stream: String) -> Int {
        var info: UnsafeMutablePointer<jsStreamInfo>?
        var code = jsErrCode(0)
        guard js_GetStreamInfo(&info, js, stream, nil, &code) == NATS_OK, let info else { return 0 }
        defer { jsStreamInfo_Destroy(info) }
        return Int(info.pointee.Config.pointee.Replicas)
    }

    /// Every message of `stream` in order, with its `Nats-Msg-Id` (status and tests read the site
    /// events back with it).
    func readStream(_ stream: String) -> [(id: String?, payload: [UInt8])] {
        var info: UnsafeMutablePointer<jsStreamInfo>?
        var code = jsErrCode(0)
        guard js_GetStreamInfo(&info, js, stream, nil, &code) == NATS_OK, let info else { return [] }
        let last = info.pointee.State.LastSeq
        jsStreamInfo_Destroy(info)
        guard last > 0 else { return [] }
        var out: [(String?, [UInt8])] = []
        for sequence in 1...last {
            var msg: OpaquePointer?
            guard js_GetMsg(&msg, js, stream, sequence, nil, &code) == NATS_OK, let msg else { continue }
            defer { natsMsg_Destroy(msg) }
            var id: UnsafePointer<CChar>?
            let hasID = natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK
            out.append((hasID ? id.map { String(cString: $0) } : nil, Message(handle: msg).payload))
        }
        return out
    }
}
