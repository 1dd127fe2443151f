import TagwayDecoders
import TagwayEmulators
import TagwayModel
import TagwaySessions

/// A conversation protocol's client and its emulator talking in memory, on a stepped clock: the
/// completeness check's stand-in for a socket. The reader's half of the dialogue (`transcript`)
/// replays through a fresh conversation to the same reads, because a conversation's requests and
/// their ids depend only on what it was told; that is how a dialogue becomes a traffic sample.
public struct ConversationRehearsal: Sendable {
    /// Everything the emulator sent, in order.
    public var transcript: [UInt8] = []
    /// The reads the live conversation emitted.
    public var frames: [ReaderFrame] = []
    public var failure: SessionFailure?

    /// Where the rehearsal's clock starts (the time `TrafficDecoding` replays traffic at).
    public static let start = Timestamp(milliseconds: 1_000)
    /// Each exchange moves the clock on this much: a round trip on a local network.
    public static let exchange = Duration.milliseconds(5)

    /// Connects, lets the client configure the emulated reader, and ends after the first reads
    /// (or a failure, or `maxExchanges` exchanges without a read).
    public static func run(_ driver: ConversationDriver, field: [FieldTag], settings: ProtocolSettings = [:],
                           context: ConversationContext = ConversationContext(antennas: []),
                           maxExchanges: Int = 64) throws(ProtocolOptionError) -> ConversationRehearsal {
        var conversation = try driver.makeConversation(settings, context)
        var emulator = driver.makeEmulator(settings)
        var rehearsal = ConversationRehearsal()
        var now = start
        var step = conversation.connected(at: now)
        var toReader = step.send.flatMap { $0 }
        var fromReader = emulator.accepted(field: field, now: now)
        for _ in 0..<maxExchanges {
            if !toReader.isEmpty { fromReader += emulator.respond(to: toReader, field: field, now: now) }
            // Nothing asked of the reader: its own traffic (keepalives, a round of reports).
            if fromReader.isEmpty { fromReader = emulator.unsolicited(field: field, now: now) }
            rehearsal.transcript += fromReader
            step = conversation.received(fromReader, at: now)
            rehearsal.frames += step.frames
            if let failure = step.failure {
                rehearsal.failure = failure
                break
            }
            if rehearsal.frames.contains(where: { if case .tag = $0 { true } else { false } }) || emulator.closeRequested { break }
            toReader = step.send.flatMap { $0 }
            fromReader = []
            now = now + exchange
        }
        return rehearsal
    }

    /// Replays a reader's side of a dialogue through a new conversation, all of it received at
    /// `at` in `chunks`: the reads, the problems it counted, and the failure that ended it.
    public static func replay(_ chunks: [[UInt8]], by driver: ConversationDriver, settings: ProtocolSettings = [:],
                              at time: Timestamp = start) throws(ProtocolOptionError) -> Replay {
        var conversation = try driver.makeConversation(settings, ConversationContext(antennas: []))
        var replay = Replay()
        _ = conversation.connected(at: time)
        for chunk in chunks {
            let step = conversation.received(chunk, at: time)
            replay.frames += step.frames
            for case .count(.conversationProblems(let kind), let by) in step.health { replay.problems[kind, default: 0] += by }
            if let failure = step.failure {
                replay.failure = failure
                break
            }
        }
        return replay
    }

    public struct Replay: Sendable, Hashable {
        public var frames: [ReaderFrame] = []
        public var problems: [String: Int] = [:]
        public var failure: SessionFailure?
    }
}
