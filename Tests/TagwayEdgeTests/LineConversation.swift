import TagwayModel
import TagwaySessions

/// The TCP session tests' conversation (not LLRP, so they need no codec): says `HELLO` on each
/// connection, makes a tag of each `TAG <hex>` line, skips `.` (padding for volume), and says
/// `QUIT` when the session stops.
struct LineConversation: ReaderConversation {
    private var line: [UInt8] = []

    mutating func connected(at time: Timestamp) -> ConversationStep {
        line = []
        return ConversationStep(send: [Array("HELLO\n".utf8)])
    }

    mutating func received(_ bytes: [UInt8], at time: Timestamp) -> ConversationStep {
        var frames: [ReaderFrame] = []
        for byte in bytes where byte != UInt8(ascii: ".") {
            guard byte == UInt8(ascii: "\n") else {
                if line.count < 256 { line.append(byte) }
                continue
            }
            let text = String(decoding: line, as: UTF8.self)
            line = []
            if text.hasPrefix("TAG "), let id = TagID(hex: String(text.dropFirst(4))) {
                frames.append(.tag(TagObservation(technology: .epcGen2, id: id)))
            }
        }
        return ConversationStep(frames: frames)
    }

    mutating func deadlinePassed(at time: Timestamp) -> ConversationStep { ConversationStep() }

    mutating func farewell() -> [[UInt8]] { [Array("QUIT\n".utf8)] }
}
