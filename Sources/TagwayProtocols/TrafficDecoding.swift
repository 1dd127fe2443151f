import TagwayDecoders
import TagwayEmulators
import TagwayHID
import TagwayModel

/// Decodes a protocol's traffic the way the gateway does, without a port or a device: serial
/// bytes through the frame assembler, HID reports through the decoder the protocol's emulated
/// report descriptor selects, a conversation's reader bytes through a new conversation
/// (`ConversationRehearsal`). Pure; the reports are stamped 5 ms apart from time zero.
public enum TrafficDecoding {
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// The traffic is of another transport than the protocol's.
        case wrongTransport(protocolID: String, expected: ProtocolTransport)
        case invalidSettings(protocolID: String, [SettingProblem])
        /// The emulator's report descriptor does not select a decoder for this protocol.
        case noDecoderForDevice(protocolID: String)
        /// A conversation protocol (LLRP) whose traffic cannot be replayed as given.
        case conversationProtocol(protocolID: String)

        public var description: String {
            switch self {
            case .wrongTransport(let id, let expected): "\(id): traffic is not \(expected.rawValue)"
            case .invalidSettings(let id, let problems): "\(id): \(problems.map(\.description).joined(separator: "; "))"
            case .noDecoderForDevice(let id): "\(id): its emulator's report descriptor selects no decoder"
            case .conversationProtocol(let id): "\(id): its traffic is a reader's side of a dialogue (bytes)"
            }
        }
    }

    public static func frames(of traffic: TrafficSample.Traffic, by descriptor: ProtocolDescriptor,
                              settings: ProtocolSettings = [:]) throws(Failure) -> [ReaderFrame] {
        let problems = descriptor.settings.problems(in: settings, protocolID: descriptor.id)
        guard problems.isEmpty else { throw .invalidSettings(protocolID: descriptor.id, problems) }
        switch (descriptor.driver, traffic) {
        case (.serialBytes(let driver), .bytes(let bytes)):
            guard let decoder = try? driver.makeDecoder(settings) else { throw .invalidSettings(protocolID: descriptor.id, []) }
            var assembler = FrameAssembler(decoder)
            return assembler.feed(bytes)
        case (.hidReports, .reports(let reports)):
            var decoder = try hidDecoder(for: descriptor, settings: settings)
            var frames: [ReaderFrame] = []
            var now = Timestamp(milliseconds: 0)
            for report in reports {
                frames += decoder.feed(report: report, at: now)
                now = now + .milliseconds(5)
            }
            // Long after the last report, so a scan ended only by the inter-key timeout is out.
            return frames + decoder.flush(now: now + .seconds(60))
        case (.llrpMessages(let driver), .bytes(let bytes)):
            // The reader's side of a dialogue, through a new conversation (ConversationRehearsal).
            guard let replay = try? ConversationRehearsal.replay([bytes], by: driver, settings: settings) else {
                throw .invalidSettings(protocolID: descriptor.id, [])
            }
            return replay.frames
        case (.llrpMessages, _):
            throw .conversationProtocol(protocolID: descriptor.id)
        default:
            throw .wrongTransport(protocolID: descriptor.id, expected: descriptor.transport)
        }
    }

    /// The decoder a HID protocol's reader session would make for its emulated device.
    public static func hidDecoder(for descriptor: ProtocolDescriptor, settings: ProtocolSettings = [:]) throws(Failure) -> HIDReportDecoder {
        guard let driver = descriptor.hid else { throw .wrongTransport(protocolID: descriptor.id, expected: descriptor.transport) }
        guard let decoding = try? driver.makeDecoding(settings) else { throw .invalidSettings(protocolID: descriptor.id, []) }
        let device = driver.makeEmulator(settings).reportDescriptor
        guard let kind = (try? HIDReportDescriptor(bytes: device))?.readerKind, let decoder = decoding.decoder(for: kind) else {
            throw .noDecoderForDevice(protocolID: descriptor.id)
        }
        return decoder
    }

    /// What the protocol's emulator sends when told `input`: a passive reader's own output, a
    /// commanded reader's answers to its startup commands and one poll, a scanner's scan.
    public static func emulatorTraffic(_ input: EmulatorInput, by descriptor: ProtocolDescriptor,
                                       settings: ProtocolSettings = [:]) -> TrafficSample.Traffic {
        let now = Timestamp(milliseconds: 1_000)
        switch descriptor.driver {
        case .serialBytes(let driver):
            var emulator = driver.makeEmulator(settings)
            switch input {
            case .scan(let scan):
                return .bytes(emulator.scan(scan))
            case .tagsInField(let field):
                guard let plan = driver.polling(settings) else { return .bytes(emulator.unsolicited(field: field, now: now)) }
                var bytes: [UInt8] = []
                for command in plan.startup { bytes += emulator.respond(to: command, field: field, now: now) }
                return .bytes(bytes + emulator.respond(to: plan.poll, field: field, now: now))
            }
        case .hidReports(let driver):
            guard case .scan(let scan) = input else { return .reports([]) }
            return .reports(driver.makeEmulator(settings).reports(for: scan))
        case .llrpMessages(let driver):
            // A conversation's emulator answers a client: what it says in a rehearsed dialogue.
            guard case .tagsInField(let field) = input,
                  let rehearsal = try? ConversationRehearsal.run(driver, field: field, settings: settings)
            else { return .bytes([]) }
            return .bytes(rehearsal.transcript)
        }
    }
}
