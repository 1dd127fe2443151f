import TagwayDecoders
import TagwayHID
import TagwayModel
@testable import TagwaySessions

typealias Machine = ReaderSessionMachine<SplitMix64>

/// Builders and readers of actions, so each test says what it checks and nothing else.
enum SessionTest {
    static let t0 = Timestamp(milliseconds: 1_700_000_000_000)

    static func at(_ ms: Int64) -> Timestamp { Timestamp(milliseconds: t0.milliseconds + ms) }

    static func serial(polling: PollingPlan? = nil, backoff: Backoff = Backoff(initial: .milliseconds(250), maximum: .seconds(5)),
                       seed: UInt64 = 7) -> Machine {
        Machine(plan: ReaderSessionPlan(decoding: .byteStream(FrameAssembler(EM4100Decoder())), polling: polling, backoff: backoff),
                random: SplitMix64(seed: seed))
    }

    static func hid(technology: String? = "barcode") -> Machine {
        Machine(plan: ReaderSessionPlan(decoding: .reports, backoff: Backoff(initial: .seconds(1), maximum: .seconds(30)),
                                        technology: technology),
                random: SplitMix64(seed: 7))
    }

    static let keyboard = HIDReportDecoder.keyboard(KeyboardWedgeDecoder(configuration: KeyboardWedgeConfiguration()))

    /// An ID-12LA frame for card 0100E2850E.
    static let em4100Frame: [UInt8] = [0x02] + Array("0100E2850E68".utf8) + [0x0D, 0x0A, 0x03]
    static let em4100Tag = ReaderFrame.tag(TagObservation(technology: .em4100, id: TagID(hex: "0100E2850E")!))

    /// Boot keyboard reports typing `text` (lowercase hex digits and letters), each key pressed then
    /// released, then Enter unless `enter` is false.
    static func typed(_ text: String, enter: Bool = true) -> [[UInt8]] {
        var reports: [[UInt8]] = []
        for character in text {
            let usage: UInt8
            switch character {
            case "a"..."z": usage = 0x04 + (character.asciiValue! - Character("a").asciiValue!)
            case "1"..."9": usage = 0x1E + (character.asciiValue! - Character("1").asciiValue!)
            default: usage = 0x27  // "0"
            }
            reports += [[0, 0, usage, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]]
        }
        if enter { reports += [[0, 0, 0x28, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]] }
        return reports
    }

    /// Starts `machine` and reports its first open as successful.
    static func connect(_ machine: inout Machine, at time: Timestamp = t0, decoder: HIDReportDecoder? = nil) -> ConnectionID {
        let id = opens(machine.handle(.start(at: time)))!
        _ = machine.handle(.opened(id, at: time, reportDecoder: decoder))
        return id
    }

    static func opens(_ actions: [ReaderSessionAction]) -> ConnectionID? {
        for case .open(let id) in actions { return id }
        return nil
    }

    static func timer(_ actions: [ReaderSessionAction], _ purpose: TimerPurpose) -> (token: TimerToken, delay: Duration)? {
        for case .armTimer(let token, let delay) in actions where token.purpose == purpose { return (token, delay) }
        return nil
    }

    static func frames(_ actions: [ReaderSessionAction]) -> [ReaderFrame] {
        actions.flatMap { action -> [ReaderFrame] in
            if case .emit(let frames, _) = action { return frames }
            return []
        }
    }

    static func sent(_ actions: [ReaderSessionAction]) -> [[UInt8]] {
        actions.compactMap { action in
            if case .send(let bytes) = action { return bytes }
            return nil
        }
    }

    /// Counter deltas in `actions`, applied to fresh counters.
    static func counters(_ actions: [ReaderSessionAction], into counters: inout ReaderCounters) {
        for case .health(.count(let counter, let delta)) in actions { counters.add(delta, to: counter) }
    }

    static let lost = SessionFailure(kind: "io", description: "read failed: EIO")
    static let denied = SessionFailure(kind: "permission-denied", description: "open /dev/ttyUSB0: permission denied")
}
