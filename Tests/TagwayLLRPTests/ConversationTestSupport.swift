import TagwayDecoders
import TagwayModel
import TagwaySessions
@testable import TagwayLLRP

/// The reader's side of a conversation in a test: messages encoded with the codec, the client's
/// requests decoded with it, and the successful setup driven to the inventory.
enum ConversationTest {
    static let t0 = Timestamp(milliseconds: 1_700_000_000_000)
    static func at(_ ms: Int64) -> Timestamp { Timestamp(milliseconds: t0.milliseconds + ms) }
    /// The reader's UTC clock in microseconds at gateway time `t0 + ms`, ahead by `skewMs`.
    static func readerUTC(_ ms: Int64, skewMs: Int64 = 0) -> LLRPTimestamp {
        .utc(microseconds: UInt64((t0.milliseconds + ms + skewMs) * 1000))
    }

    static let epcA: [UInt8] = [0x30, 0x14, 0x2A, 0x6B, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01]
    static let epcB: [UInt8] = [0x30, 0x14, 0x2A, 0x6B, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02]

    /// An Impinj R700 with four ports and powers from 10 to 30 dBm in 0.25 dB steps (rows 1–81).
    static let r700 = ReaderCapabilities(
        maxAntennas: 4, hasUTCClock: true, manufacturer: 25882, model: 2001052, firmware: "8.4.1.240",
        transmitPower: (1...81).map { .init(index: UInt16($0), centiDBm: Int16(1000 + ($0 - 1) * 25)) })
    /// A Zebra FX9600 (not an Impinj: no Impinj extensions).
    static let fx9600 = ReaderCapabilities(
        maxAntennas: 8, hasUTCClock: true, manufacturer: 10642, model: 96008, firmware: "3.10.30",
        transmitPower: [.init(index: 1, centiDBm: 1000), .init(index: 2, centiDBm: 2000), .init(index: 3, centiDBm: 3000)])

    static func plan(_ settings: [String: String] = [:], antennas: [Int] = [1, 2],
                     power: [Int: Double] = [:]) -> LLRPPlan {
        // Settings in tests are known good; a bad one is a test bug worth a crash.
        try! LLRPPlan(settings: settings, antennas: antennas, transmitPowerDBm: power)
    }

    static func bytes(_ message: LLRPMessage, id: UInt32 = 0) -> [UInt8] {
        LLRPCodec.encode(LLRPEnvelope(id: id, message: message))
    }

    static func greeting(_ attempt: ReaderEventNotification.ConnectionAttempt = .success) -> [UInt8] {
        bytes(.readerEventNotification(ReaderEventNotification(timestamp: readerUTC(0), connectionAttempt: attempt)))
    }

    /// Every message the client sent in `step`, decoded.
    static func sent(_ step: ConversationStep) throws -> [LLRPEnvelope] {
        try step.send.map { chunk throws in
            var framer = LLRPFramer()
            var window = ByteWindow(chunk)
            guard let frame = try framer.next(&window), window.isEmpty else { throw Unframed(bytes: chunk) }
            return try LLRPCodec.decode(frame)
        }
    }

    struct Unframed: Error {
        var bytes: [UInt8]
    }

    /// The reader's successful answer to a request.
    static func answer(_ request: LLRPEnvelope, capabilities: ReaderCapabilities = r700) -> [UInt8] {
        respond(request, .success, capabilities: capabilities)
    }

    /// The reader's answer to a request with `status` (capabilities only on success).
    static func respond(_ request: LLRPEnvelope, _ status: LLRPStatus, capabilities: ReaderCapabilities = r700) -> [UInt8] {
        let message: LLRPMessage = switch request.message {
        case .getReaderCapabilities: .getReaderCapabilitiesResponse(status, status.isSuccess ? capabilities : nil)
        case .impinjEnableExtensions: .response(to: .customMessage, status)
        case .setReaderConfig: .response(to: .setReaderConfig, status)
        case .deleteROSpec: .response(to: .deleteROSpec, status)
        case .addROSpec: .response(to: .addROSpec, status)
        case .enableROSpec: .response(to: .enableROSpec, status)
        case .startROSpec: .response(to: .startROSpec, status)
        default: .unsupported(.customMessage)
        }
        return bytes(message, id: request.id)
    }

    /// Connects and answers every request with success until the client asks nothing more.
    /// Returns the requests in order, and everything the steps said.
    @discardableResult
    static func configure(_ conversation: inout LLRPClientConversation, capabilities: ReaderCapabilities = r700,
                          at time: Timestamp = t0) throws -> (requests: [LLRPEnvelope], steps: [ConversationStep]) {
        var steps = [conversation.connected(at: time)]
        steps.append(conversation.received(greeting(), at: time))
        var requests: [LLRPEnvelope] = []
        while let request = try sent(steps[steps.count - 1]).last, requests.count < 20 {
            requests.append(request)
            steps.append(conversation.received(answer(request, capabilities: capabilities), at: time))
        }
        return (requests, steps)
    }

    static func tags(_ step: ConversationStep) -> [TagObservation] {
        step.frames.compactMap { frame in
            if case .tag(let tag) = frame { return tag }
            return nil
        }
    }

    static func counted(_ steps: [ConversationStep]) -> [String: Int] {
        var totals: [String: Int] = [:]
        for step in steps {
            for case .count(.conversationProblems(let kind), let by) in step.health { totals[kind, default: 0] += by }
        }
        return totals
    }

    static func details(_ step: ConversationStep) -> ReaderDetails? {
        var last: ReaderDetails?
        for case .details(let details) in step.health { last = details }
        return last
    }
}
