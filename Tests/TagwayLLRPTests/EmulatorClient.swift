import TagwayDecoders
import TagwayEmulators
import TagwayLLRP
import TagwayModel

/// A client of an `LLRPReaderEmulator` without a socket: it writes encoded requests, frames and
/// decodes whatever the reader says with the codec, and moves time on by hand.
struct EmulatorClient {
    var reader: LLRPReaderEmulator
    var field: [FieldTag] = []
    var now = Timestamp(milliseconds: 1_790_000_000_000)
    /// Bytes the reader sent that do not yet make a whole message (a stalled reader's half).
    var window = ByteWindow()
    private var framer = LLRPFramer()

    init(_ script: LLRPEmulatorScript = LLRPEmulatorScript()) {
        reader = LLRPReaderEmulator(script: script)
    }

    static func micros(_ time: Timestamp) -> UInt64 { UInt64(time.milliseconds) * 1000 }

    mutating func connect() throws -> [LLRPEnvelope] {
        framer = LLRPFramer()
        window = ByteWindow()
        return try heard(reader.accepted(field: field, now: now))
    }

    mutating func send(_ message: LLRPMessage, id: UInt32) throws -> [LLRPEnvelope] {
        try heard(reader.respond(to: LLRPCodec.encode(message, id: id), field: field, now: now))
    }

    mutating func sendRaw(_ bytes: [UInt8]) throws -> [LLRPEnvelope] {
        try heard(reader.respond(to: bytes, field: field, now: now))
    }

    /// Moves time on and lets the reader speak, as the shell's tick does.
    mutating func tick(_ step: Duration = .milliseconds(100)) throws -> [LLRPEnvelope] {
        now = now + step
        return try heard(reader.unsolicited(field: field, now: now))
    }

    /// Ticks `count` times, everything the reader said in order.
    mutating func ticks(_ count: Int, every step: Duration = .milliseconds(100)) throws -> [LLRPEnvelope] {
        var all: [LLRPEnvelope] = []
        for _ in 0..<count { all += try tick(step) }
        return all
    }

    mutating func heard(_ bytes: [UInt8]) throws -> [LLRPEnvelope] {
        window.append(contentsOf: bytes)
        var out: [LLRPEnvelope] = []
        while let frame = try framer.next(&window) { out.append(try LLRPCodec.decode(frame)) }
        return out
    }

    /// The usual start of a session: keepalives, an ROSpec on `antennas`, enabled and started.
    mutating func startInventory(antennas: [UInt16] = [1, 2], reportEveryTags: UInt16 = 1, keepaliveMilliseconds: UInt32? = nil,
                                 content: ROSpec.ReportContent = .tagway) throws {
        _ = try connect()
        _ = try send(.setReaderConfig(ReaderConfiguration(keepaliveMilliseconds: keepaliveMilliseconds)), id: 1)
        _ = try send(.deleteROSpec(roSpecID: 0), id: 2)
        _ = try send(.addROSpec(ROSpec(id: 7, antennas: antennas.map { ROSpec.Antenna(id: $0) }, reportEveryTags: reportEveryTags,
                                       content: content)), id: 3)
        _ = try send(.enableROSpec(roSpecID: 7), id: 4)
        _ = try send(.startROSpec(roSpecID: 7), id: 5)
    }
}

extension Array where Element == LLRPEnvelope {
    var reports: [[TagReport]] {
        compactMap { if case .roAccessReport(let tags) = $0.message { tags } else { nil } }
    }

    var keepalives: Int { filter { $0.message == .keepalive }.count }

    var events: [ReaderEventNotification] {
        compactMap { if case .readerEventNotification(let event) = $0.message { event } else { nil } }
    }
}

func tag(_ hex: String, antenna: Int, rssi: Int) -> FieldTag {
    FieldTag(id: TagID(hex: hex) ?? TagID(bytes: [0]), antenna: antenna, rssi: rssi)
}
