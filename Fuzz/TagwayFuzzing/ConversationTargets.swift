import TagwayDecoders
import TagwayModel
import TagwayProtocols
import TagwaySessions

/// One target per conversation protocol in `ProtocolRegistry` (LLRP: `llrp`), named by its id: a
/// reader's bytes through the client conversation the gateway runs, in chunks on a moving clock,
/// with a deadline at the end. `llrp-codec` fuzzes the codec alone; this one fuzzes what the
/// gateway does with what it decodes. Input: a chunk-size byte, a time-step byte, the stream.
/// Besides not trapping: reads have ids, their times never go back and never pass their arrival,
/// and after a failure the conversation neither reads nor sends.
enum ConversationTargets {
    static var all: [FuzzTarget] {
        ProtocolRegistry.all.compactMap { descriptor in
            guard let driver = descriptor.conversation else { return nil }
            return FuzzTarget(
                name: descriptor.id, summary: "\(descriptor.summary): the client conversation over a reader's bytes",
                run: { run(descriptor, driver, $0) },
                seeds: { seeds(descriptor, driver).flatMap { [[0, 5] + $0, [7, 5] + $0] } })
        }
    }

    static func run(_ descriptor: ProtocolDescriptor, _ driver: ConversationDriver, _ bytes: [UInt8]) {
        var input = FuzzInput(bytes)
        let chunk = Int(input.byte()) % 64 + 1
        let step = Duration.milliseconds(Int64(input.byte()))
        guard var conversation = try? driver.makeConversation([:], ConversationContext(antennas: [])) else {
            fuzzInvariant(false, "\(descriptor.id) takes its default settings")
            return
        }
        var now = Timestamp(milliseconds: 1_000)
        var state = Checked()
        state.check(conversation.connected(at: now), at: now)
        let stream = input.remaining
        var start = stream.startIndex
        while start < stream.endIndex {
            let end = min(start + chunk, stream.endIndex)
            state.check(conversation.received(Array(stream[start..<end]), at: now), at: now)
            start = end
            now = now + step
        }
        state.check(conversation.deadlinePassed(at: now), at: now)
        _ = conversation.farewell()
    }

    struct Checked {
        var lastSeen: Timestamp?
        var ended = false

        mutating func check(_ step: ConversationStep, at now: Timestamp) {
            if ended {
                fuzzInvariant(step.frames.isEmpty && step.send.isEmpty, "a failed conversation goes on: \(step)")
            }
            for case .tag(let read) in step.frames {
                fuzzInvariant(!read.id.bytes.isEmpty, "a read has an id")
                guard let seen = read.seenAt else {
                    fuzzInvariant(false, "a conversation's read has a time")
                    continue
                }
                fuzzInvariant(seen <= now || seen == lastSeen, "read at \(seen), after its arrival at \(now)")
                if let lastSeen { fuzzInvariant(seen >= lastSeen, "read at \(seen) before the last one at \(lastSeen)") }
                lastSeen = seen
            }
            if step.failure != nil { ended = true }
        }
    }

    /// The reader's side of a rehearsed dialogue with the protocol's emulator, and its samples.
    static func seeds(_ descriptor: ProtocolDescriptor, _ driver: ConversationDriver) -> [[UInt8]] {
        var seeds: [[UInt8]] = descriptor.samples.compactMap { sample in
            if case .bytes(let bytes) = sample.traffic { return bytes }
            return nil
        }
        if case .tagsInField(let field) = descriptor.emulation, let rehearsal = try? ConversationRehearsal.run(driver, field: field) {
            seeds.append(rehearsal.transcript)
        }
        return seeds
    }
}
