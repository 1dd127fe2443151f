import Testing
import TagwayModel
import TagwayProtocols
@testable import TagwayDecoders
import TagwayEmulators

@Suite struct PN532DecoderTests {
    /// A dropped frame's postamble is consumed as framing, not counted with the drop.
    let postamble = 1

    func lines(_ bytes: [UInt8]) -> [String] { decode(bytes, with: PN532Decoder()).lines }

    @Test func hostFramesMatchTheKnownBytes() {
        // The InListPassiveTarget and SAMConfiguration frames as captured from working setups.
        #expect(PN532Frame.listOneTypeA == [0x00, 0x00, 0xFF, 0x04, 0xFC, 0xD4, 0x4A, 0x01, 0x00, 0xE1, 0x00])
        #expect(PN532Frame.samNormalMode == [0x00, 0x00, 0xFF, 0x05, 0xFB, 0xD4, 0x14, 0x01, 0x14, 0x01, 0x02, 0x00])
        #expect(PN532Frame.command(0x14, [0x01]) == [0x00, 0x00, 0xFF, 0x03, 0xFD, 0xD4, 0x14, 0x01, 0x17, 0x00])
        #expect(PN532Frame.command(0x02) == [0x00, 0x00, 0xFF, 0x02, 0xFE, 0xD4, 0x02, 0x2A, 0x00])
        #expect(PN532Frame.wakeUp.count == 16 && PN532Frame.wakeUp.prefix(2) == [0x55, 0x55])
    }

    @Test func acknowledgementsAndErrors() {
        #expect(lines(PN532Frame.ack) == ["status ack"])
        #expect(lines(PN532Frame.nack) == ["status nack"])
        #expect(lines(PN532Frame.errorFrame) == ["status error 7F"])
        #expect(lines(PN532Emulator.inListResponse(uids: [])) == ["status no-tag"])
    }

    @Test func twoTargetsComeOutInOrderHoweverChunked() {
        let bytes = PN532Emulator.inListResponse(uids: [TagID(hex: "01020304")!, TagID(hex: "04AABBCCDDEEFF")!])
            + PN532Frame.ack
        for chunking in Chunking.all {
            #expect(decode(bytes, with: PN532Decoder(), chunking: chunking).lines
                == ["tag iso14443a 01020304", "tag iso14443a 04AABBCCDDEEFF", "status ack"], "\(chunking)")
        }
    }

    @Test func isoDEPTargetsCarryAnATSAfterTheUID() {
        let withATS = PN532Frame.response(to: 0x4A, [0x01, 0x01, 0x00, 0x04, 0x20, 0x04, 0x08, 0x12, 0x34, 0x56, 0x05, 0x75, 0x77, 0x81, 0x02])
        #expect(lines(withATS) == ["tag iso14443a 08123456"])
        // An ATS length that runs past the frame is not a target list we understand.
        let badATS = PN532Frame.response(to: 0x4A, [0x01, 0x01, 0x00, 0x04, 0x20, 0x04, 0x08, 0x12, 0x34, 0x56, 0x09, 0x75])
        #expect(decode(badATS, with: PN532Decoder()).drops == [.malformed: badATS.count - postamble])
    }

    @Test func malformedTargetListsAreDropped() {
        let cases: [[UInt8]] = [
            [0x01, 0x01, 0x00, 0x04, 0x08, 0x07, 0x01, 0x02],           // UID longer than the frame
            [0x01, 0x01, 0x00, 0x04, 0x08, 0x00],                       // empty UID
            [0x01, 0x01, 0x00, 0x04, 0x08, 0x02, 0x01, 0x02, 0x99],     // trailing byte
            [0x03],                                                     // more targets than a PN532 lists
            [],                                                         // no NbTg
        ]
        for data in cases {
            let frame = PN532Frame.response(to: 0x4A, data)
            #expect(decode(frame + PN532Frame.ack, with: PN532Decoder()).drops == [.malformed: frame.count - postamble], "\(data)")
        }
    }

    @Test func extendedFramesDecode() {
        let payload = [UInt8](repeating: 0x5A, count: 280)
        let frame = PN532Frame.response(to: 0x40, [0x00] + payload)
        #expect(frame[3] == 0xFF && frame[4] == 0xFF)
        #expect(lines(frame) == ["status response 41:00" + String(repeating: "5A", count: 280)])
        // Longer than any PN532 frame: only the header is dropped, then the stream resyncs.
        let tooLong = PN532Frame.response(to: 0x40, [UInt8](repeating: 0x11, count: 400))
        let outcome = decode(tooLong + PN532Frame.ack, with: PN532Decoder())
        #expect(outcome.lines == ["status ack"])
        #expect(outcome.drops[.overlong] == 8)
    }

    @Test func preambleAndPostambleAreOptional() {
        let bare: [UInt8] = [0x00, 0xFF, 0x03, 0xFD, 0xD5, 0x4B, 0x00, 0xE0]
        #expect(lines(bare + bare + PN532Frame.ack) == ["status no-tag", "status no-tag", "status ack"])
    }

    @Test func hostCommandsReadBackAreNotTheReader() {
        let outcome = decode(PN532Frame.listOneTypeA + PN532Frame.ack, with: PN532Decoder())
        #expect(outcome.lines == ["status ack"])
        #expect(outcome.drops == [.malformed: PN532Frame.listOneTypeA.count - postamble])
    }

    @Test func zeroRunsArePadding() {
        let outcome = decode([UInt8](repeating: 0, count: 40) + PN532Frame.ack, with: PN532Decoder(), chunking: .bytewise)
        #expect(outcome.lines == ["status ack"])
        #expect(outcome.drops == [.garbage: 40])
    }

    @Test func pollingPlan() throws {
        let plan = try PN532Frame.pollingPlan([:])
        #expect(plan.startup == [PN532Frame.wakeUp, PN532Frame.samNormalMode, PN532Frame.limitPassiveRetries])
        #expect(plan.poll == PN532Frame.listOneTypeA)
        #expect(plan.interval == .milliseconds(200))
        let descriptor = try #require(ProtocolRegistry.descriptor(for: "pn532-hsu"))
        #expect(try #require(descriptor.serial).polling(["pollIntervalMs": "500"])?.interval == .milliseconds(500))
        #expect(throws: ProtocolOptionError.self) { try #require(descriptor.serial).makeDecoder(["pollIntervalMs": "-1"]) }
    }

    @Test func emulatorFollowsTheGatewaysPollingPlan() throws {
        let plan = try PN532Frame.pollingPlan([:])
        let card = TagID(hex: "9EB36E66")!
        var emulator = PN532Emulator()
        var answers: [UInt8] = []
        // Startup and polls written byte by byte, as a slow UART would deliver them.
        for message in plan.startup + [plan.poll] {
            for byte in message {
                answers += emulator.respond(to: [byte], field: [FieldTag(id: card)], now: Timestamp(milliseconds: 0))
            }
        }
        answers += emulator.respond(to: plan.poll, field: [], now: Timestamp(milliseconds: 200))
        #expect(decode(answers, with: PN532Decoder()).lines == [
            "status ack", "status response 15",
            "status ack", "status response 33",
            "status ack", "tag iso14443a 9EB36E66",
            "status ack", "status no-tag",
        ])
    }

    @Test func emulatorRepeatsOnNACKAndRejectsUnknownCommands() {
        var emulator = PN532Emulator()
        let now = Timestamp(milliseconds: 0)
        let field = [FieldTag(id: TagID(hex: "047BCB51962280")!)]
        let first = emulator.respond(to: PN532Frame.listOneTypeA, field: field, now: now)
        let again = emulator.respond(to: PN532Frame.nack, field: field, now: now)
        #expect(first == PN532Frame.ack + again)
        #expect(decode(again, with: PN532Decoder()).lines == ["tag iso14443a 047BCB51962280"])
        #expect(emulator.respond(to: PN532Frame.command(0x99), field: field, now: now) == PN532Frame.ack + PN532Frame.errorFrame)
        #expect(decode(emulator.respond(to: PN532Frame.command(0x02), field: [], now: now), with: PN532Decoder()).lines
            == ["status ack", "status response 03:32010607"])
    }
}
