import Testing
import TagwayModel
import TagwayProtocols
@testable import TagwayDecoders
import TagwayEmulators

@Suite struct M100DecoderTests {
    /// The single polling notification example of the M100 user manual.
    let manualNotification: [UInt8] = [
        0xBB, 0x02, 0x22, 0x00, 0x11, 0xC9, 0x34, 0x00, 0x30, 0x75, 0x1F, 0xEB, 0x70, 0x5C, 0x59, 0x04,
        0xE3, 0xD5, 0x0D, 0x70, 0x3A, 0x76, 0xEF, 0x7E,
    ]
    let manualEPC = TagID(hex: "30751FEB705C5904E3D50D70")!

    func lines(_ bytes: [UInt8]) -> [String] { decode(bytes, with: M100Decoder()).lines }

    @Test func manualNotificationDecodes() {
        #expect(decode(manualNotification, with: M100Decoder()).frames
            == [.tag(TagObservation(technology: .epcGen2, id: manualEPC, antenna: nil, rssi: -55, pc: 0x3400))])
    }

    @Test func emulatorReproducesTheManualFrameByteForByte() {
        let tag = FieldTag(id: manualEPC, rssi: -55, pc: 0x3400)
        #expect(M100Emulator.notification(for: tag) == manualNotification)
        #expect(M100Frame.singleInventory == [0xBB, 0x00, 0x22, 0x00, 0x00, 0x22, 0x7E])
        #expect(M100Frame.noTagResponse == [0xBB, 0x01, 0xFF, 0x00, 0x01, 0x15, 0x16, 0x7E])
    }

    @Test func rssiIsTheSignedByte() {
        for rssi in [-128, -90, -1, 0, 5, 127] {
            let bytes = M100Emulator.notification(for: FieldTag(id: manualEPC, rssi: rssi))
            #expect(decode(bytes, with: M100Decoder()).lines == ["tag epc-gen2 30751FEB705C5904E3D50D70 rssi=\(rssi) pc=3000"])
        }
    }

    @Test func responsesAreStatuses() {
        #expect(lines(M100Frame.noTagResponse) == ["status no-tag"])
        #expect(lines(M100Frame.frame(.response, 0xFF, [0x17])) == ["status error 17"])
        #expect(lines(M100Frame.frame(.response, 0x28, [0x00])) == ["status response 28:00"])
        #expect(lines(M100Frame.frame(.response, 0x0B)) == ["status response 0B"])
        #expect(lines(M100Frame.frame(.notification, 0x50, [0x01])) == ["status notification 50:01"])
    }

    @Test func multiplePollingNotificationsAreTagsToo() {
        var frame = manualNotification
        frame[2] = 0x27
        frame[22] = frame[1...21].reduce(0, &+)
        #expect(lines(frame) == ["tag epc-gen2 30751FEB705C5904E3D50D70 rssi=-55 pc=3400"])
    }

    @Test func badTagCRCIsABadChecksumEvenWithAGoodFrameChecksum() {
        var frame = manualNotification
        frame[21] ^= 0xFF                                  // tag CRC low byte
        frame[22] = frame[1...21].reduce(0, &+)            // frame checksum made right again
        let outcome = decode(frame + manualNotification, with: M100Decoder())
        #expect(outcome.frames.count == 1)
        #expect(outcome.drops == [.badChecksum: 24])
    }

    @Test func contentThatContradictsItselfIsMalformed() {
        // PC says 6 words but only 5 follow; a host command read back; an empty error response.
        let wrongLength = M100Frame.frame(.notification, 0x22, [0xC9, 0x30, 0x00] + [UInt8](repeating: 0x11, count: 10) + [0x00, 0x00])
        let echo = M100Frame.singleInventory
        let emptyError = M100Frame.frame(.response, 0xFF)
        let outcome = decode(wrongLength + echo + emptyError + manualNotification, with: M100Decoder())
        #expect(outcome.lines == ["tag epc-gen2 30751FEB705C5904E3D50D70 rssi=-55 pc=3400"])
        #expect(outcome.drops == [.malformed: wrongLength.count + echo.count + emptyError.count])
    }

    @Test func unknownFrameTypeIsGarbage() {
        let outcome = decode([0xBB, 0x05, 0x22, 0x00, 0x00] + manualNotification, with: M100Decoder())
        #expect(outcome.frames.count == 1)
        #expect(outcome.drops == [.garbage: 5])
    }

    @Test func oversizedLengthDropsOnlyTheHeader() {
        let outcome = decode([0xBB, 0x02, 0x22, 0x01, 0x01] + manualNotification, with: M100Decoder())
        #expect(outcome.frames.count == 1)
        #expect(outcome.drops == [.overlong: 5])
    }

    @Test func pollingPlan() throws {
        let plan = try M100Frame.pollingPlan([:])
        #expect(plan.startup.isEmpty)
        #expect(plan.poll == M100Frame.singleInventory)
        #expect(plan.interval == .milliseconds(100))
        #expect(try M100Frame.pollingPlan(["pollIntervalMs": "250"]).interval == .milliseconds(250))
        let descriptor = try #require(ProtocolRegistry.descriptor(for: "magicrf-m100"))
        #expect(descriptor.settings.names == ["pollIntervalMs"])
        #expect(try #require(descriptor.serial).polling(["pollIntervalMs": "50"])?.interval == .milliseconds(50))
        for bad in ["0", "5", "60001", "fast", ""] {
            #expect(throws: ProtocolOptionError.self) { try #require(descriptor.serial).makeDecoder(["pollIntervalMs": bad]) }
        }
    }

    @Test func emulatorAnswersInventoryHoweverTheCommandIsChunked() {
        let field = [
            FieldTag(id: TagID(hex: "3074257BF7194E4000001A85")!, rssi: -48),
            FieldTag(id: TagID(hex: "E2003412013A1700012345678901ABCD")!, rssi: -62),
            FieldTag(id: TagID(hex: "AABBCC")!, rssi: -70),   // odd length: padded to whole words
        ]
        let command = [0x00, 0x42] + M100Frame.singleInventory   // noise first
        var emulator = M100Emulator()
        var answer: [UInt8] = []
        for byte in command {
            answer += emulator.respond(to: [byte], field: field, now: Timestamp(milliseconds: 0))
        }
        #expect(decode(answer, with: M100Decoder()).lines == [
            "tag epc-gen2 3074257BF7194E4000001A85 rssi=-48 pc=3000",
            "tag epc-gen2 E2003412013A1700012345678901ABCD rssi=-62 pc=4000",
            "tag epc-gen2 AABBCC00 rssi=-70 pc=1000",
        ])
        let empty = emulator.respond(to: M100Frame.singleInventory, field: [], now: Timestamp(milliseconds: 100))
        #expect(empty == M100Frame.noTagResponse)
    }

    @Test func emulatorIgnoresBadCommandsAndAnswersModuleInfo() {
        var emulator = M100Emulator()
        var bad = M100Frame.singleInventory
        bad[5] ^= 0x01
        #expect(emulator.respond(to: bad, field: [FieldTag(id: manualEPC)], now: Timestamp(milliseconds: 0)).isEmpty)
        let info = emulator.respond(to: M100Frame.frame(.command, 0x03, [0x00]), field: [], now: Timestamp(milliseconds: 0))
        #expect(info == [0xBB, 0x01, 0x03, 0x00, 0x0B, 0x00, 0x4D, 0x31, 0x30, 0x30, 0x20, 0x56, 0x31, 0x2E, 0x30, 0x30, 0x22, 0x7E])
    }
}
