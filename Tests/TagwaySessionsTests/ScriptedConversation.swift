import TagwayModel
import TagwaySessions

/// A conversation made of data, so the machine's handling of steps is tested without LLRP: it
/// answers a connection with `hello`, each complete line it receives with `replies[line]`
/// (merged when one chunk holds several lines), a passed deadline with `onDeadline`.
struct ScriptedConversation: ReaderConversation {
    var hello = ConversationStep()
    var replies: [String: ConversationStep] = [:]
    var onDeadline = ConversationStep()
    var goodbye: [[UInt8]] = []
    /// Connections it was told of, and lines it read on the current one.
    private(set) var connections = 0
    private(set) var lines: [String] = []
    private var partial: [UInt8] = []

    mutating func connected(at time: Timestamp) -> ConversationStep {
        connections += 1
        lines = []
        partial = []
        return hello
    }

    mutating func received(_ bytes: [UInt8], at time: Timestamp) -> ConversationStep {
        partial += bytes
        var step = ConversationStep()
        while let end = partial.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: partial[..<end], as: UTF8.self)
            partial.removeSubrange(...end)
            lines.append(line)
            step = step.then(replies[line] ?? ConversationStep())
        }
        return step
    }

    mutating func deadlinePassed(at time: Timestamp) -> ConversationStep { onDeadline }

    mutating func farewell() -> [[UInt8]] { goodbye }
}

extension ConversationStep {
    /// This step followed by `next`: everything of both, the later deadline, the first failure.
    func then(_ next: ConversationStep) -> ConversationStep {
        ConversationStep(send: send + next.send, frames: frames + next.frames, health: health + next.health,
                         deadline: next.deadline ?? deadline, failure: failure ?? next.failure, notices: notices + next.notices)
    }
}
