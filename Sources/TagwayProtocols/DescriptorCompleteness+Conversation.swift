import TagwayDecoders
import TagwayEmulators
import TagwayModel

extension DescriptorCompleteness {
    /// A conversation protocol's client must get through its setup with its own emulator and
    /// read what the emulation put in the field, each tag on its antenna with its RSSI; and the
    /// emulator's side of that dialogue must replay to the same reads (what makes a recorded
    /// dialogue a usable fixture). `emulationProblems` checks the replay against the field.
    public static func conversationProblems(_ descriptor: ProtocolDescriptor) -> [String] {
        guard let driver = descriptor.conversation else { return [] }
        guard case .tagsInField(let field) = descriptor.emulation, !field.isEmpty else {
            return ["a conversation protocol's emulation must put tags in the field"]
        }
        let rehearsal: ConversationRehearsal
        do throws(ProtocolOptionError) {
            rehearsal = try ConversationRehearsal.run(driver, field: field)
        } catch {
            return ["its default settings are refused: \(error)"]
        }
        if let failure = rehearsal.failure {
            return ["the conversation with its emulator failed: \(failure.kind): \(failure.description)"]
        }
        var problems: [String] = []
        let reads = Self.reads(rehearsal.frames, field: field)
        if reads != field {
            problems.append("the conversation read \(reads.map(Self.describe)) from an emulator showing \(field.map(Self.describe))")
        }
        // Replayed at one instant rather than on the stepped clock: the same tags, other times.
        let replayed = (try? ConversationRehearsal.replay([rehearsal.transcript], by: driver))?.frames ?? []
        if Self.reads(replayed, field: field) != reads {
            problems.append("the emulator's side of the dialogue replays to \(Self.reads(replayed, field: field).map(Self.describe)), "
                + "not what was read live")
        }
        return problems
    }

    /// Reads as field tags (the PC taken from the field, which the emulator derives when nil).
    static func reads(_ frames: [ReaderFrame], field: [FieldTag]) -> [FieldTag] {
        frames.compactMap { frame -> FieldTag? in
            guard case .tag(let read) = frame else { return nil }
            return FieldTag(id: read.id, antenna: read.antenna ?? 0, rssi: read.rssi ?? 0, pc: field.first { $0.id == read.id }?.pc)
        }
    }

    static func describe(_ tag: FieldTag) -> String { "\(tag.id) ant=\(tag.antenna) rssi=\(tag.rssi)" }
}
