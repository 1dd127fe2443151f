import Testing
import TagwayModel
import TagwayProtocols
@testable import TagwayDecoders
import TagwayEmulators

@Suite struct MercuryDecoderTests {
    let epc = TagID(hex: "3074257BF7194E4000001A85")!
    let now = Timestamp(milliseconds: 1_000)

    func lines(_ bytes: [UInt8]) -> [String] { decode(bytes, with: MercuryDecoder()).lines }

    /// A Get Tag Buffer answer: flags, read options 0, count, records.
    func tagBuffer(flags: MercuryFrame.Metadata, records: [[UInt8]]) -> [UInt8] {
        var data: [UInt8] = [UInt8(flags.rawValue >> 8), UInt8(flags.rawValue & 0xFF), 0x00, UInt8(records.count)]
        for record in records { data += record }
        return MercuryFrame.response(MercuryFrame.Opcode.getTagBuffer, data)
    }

    /// EPC length in bits (PC + EPC + CRC), PC, EPC, a tag CRC.
    func epcField(pc: [UInt8], _ epc: [UInt8]) -> [UInt8] {
        let bits = (pc.count + epc.count + 2) * 8
        let crc = CRC16.gen2(pcAndEPC: pc + epc)
        return [UInt8(bits >> 8), UInt8(bits & 0xFF)] + pc + epc + [UInt8(crc >> 8), UInt8(crc & 0xFF)]
    }

    @Test func readTagSingleWithAndWithoutMetadata() {
        let withMetadata = MercuryEmulator.readTagSingleResponse(
            FieldTag(id: epc, antenna: 2, rssi: -52), option: 0x10, metadata: [.rssi, .antenna], now: now)
        #expect(withMetadata.count == 7 + 1 + 2 + 2 + 12 + 2)
        #expect(lines(withMetadata) == ["tag epc-gen2 3074257BF7194E4000001A85 ant=2 rssi=-52"])
        let plain = MercuryEmulator.readTagSingleResponse(FieldTag(id: epc), option: 0x00, metadata: [], now: now)
        #expect(lines(plain) == ["tag epc-gen2 3074257BF7194E4000001A85"])
    }

    @Test func everyUnderstoodMetadataFieldIsWalked() {
        let all = MercuryEmulator.readTagSingleResponse(
            FieldTag(id: epc, antenna: 16, rssi: -70), option: 0x10, metadata: .understood, now: now)
        #expect(lines(all) == ["tag epc-gen2 3074257BF7194E4000001A85 ant=16 rssi=-70"])
    }

    @Test func singleReadsThatDoNotAddUpAreMalformed() {
        let cases: [[UInt8]] = [
            [0x00, 0x30, 0x74, 0x25, 0x12, 0x34],                    // odd EPC length
            [0x00, 0x12, 0x34],                                       // tag CRC only
            [0x10, 0x00, 0x06, 0xC9],                                 // metadata runs past the end
            [],                                                       // no option byte
        ]
        for data in cases {
            let frame = MercuryFrame.response(0x21, data)
            #expect(decode(frame, with: MercuryDecoder()).drops == [.malformed: frame.count], "\(data)")
        }
    }

    @Test func unknownMetadataAndOtherProtocolsAreReportedNotGuessed() {
        let brand = MercuryFrame.response(0x21, [0x10, 0x10, 0x00, 0x01, 0x02] + epc.bytes + [0x00, 0x00])
        #expect(lines(brand) == ["status unsupported-metadata 1000"])
        let iso6B = tagBuffer(flags: [.protocolID], records: [[0x03, 0x00, 0x50] + [0xE0, 1, 2, 3, 4, 5, 6, 7] + [0xAB, 0xCD]])
        #expect(lines(iso6B) == ["status unsupported-tag protocol=03 id=E001020304050607"])
    }

    @Test func antennaByteIsTxAndRxPorts() {
        #expect(MercuryTagRecords.antennaPort(0x11) == 1)
        #expect(MercuryTagRecords.antennaPort(0x44) == 4)
        #expect(MercuryTagRecords.antennaPort(0x00) == 16)
        #expect(MercuryTagRecords.antennaPort(0x12) == nil)
    }

    @Test func getTagBufferYieldsEveryRecordHoweverChunked() {
        let flags: MercuryFrame.Metadata = [.readCount, .rssi, .antenna, .protocolID]
        let records = [
            [0x03, 0xC4, 0x11, 0x05] + epcField(pc: [0x30, 0x00], epc.bytes),
            [0x01, 0xB8, 0x22, 0x05] + epcField(pc: [0x40, 0x00], [UInt8](repeating: 0xE2, count: 16)),
            [0x07, 0xD0, 0x11, 0x05] + epcField(pc: [0x10, 0x00], [0xAB, 0xCD]),
        ]
        let bytes = tagBuffer(flags: flags, records: records) + MercuryFrame.response(0x29, status: 0x0400)
        let expected = [
            "tag epc-gen2 3074257BF7194E4000001A85 ant=1 rssi=-60 pc=3000",
            "tag epc-gen2 E2E2E2E2E2E2E2E2E2E2E2E2E2E2E2E2 ant=2 rssi=-72 pc=4000",
            "tag epc-gen2 ABCD ant=1 rssi=-48 pc=1000",
            "status no-tag",
        ]
        for chunking in Chunking.all {
            #expect(decode(bytes, with: MercuryDecoder(), chunking: chunking).lines == expected, "\(chunking)")
        }
        #expect(lines(tagBuffer(flags: flags, records: [])) == ["status no-tag"])
    }

    @Test func extendedProtocolControlWordsAreNotPartOfTheEPC() {
        // PC with XI set: XPC_W1 follows; with XPC_W1's top bit, XPC_W2 too.
        let xpc1 = epcField(pc: [0x32, 0x00, 0x00, 0x01], epc.bytes)
        let xpc2 = epcField(pc: [0x32, 0x00, 0x80, 0x00, 0x00, 0x02], epc.bytes)
        #expect(lines(tagBuffer(flags: [], records: [xpc1, xpc2])) == [
            "tag epc-gen2 3074257BF7194E4000001A85 pc=3200",
            "tag epc-gen2 3074257BF7194E4000001A85 pc=3200",
        ])
    }

    @Test func aRecordThatOverrunsTheFrameDropsTheWholeAnswer() {
        var overrun = epcField(pc: [0x30, 0x00], epc.bytes)
        overrun[1] = 0xF0                                   // claims more bits than are there
        let frame = tagBuffer(flags: [], records: [epcField(pc: [0x30, 0x00], epc.bytes), overrun])
        let outcome = decode(frame + MercuryFrame.response(0x29, status: 0x0400), with: MercuryDecoder())
        #expect(outcome.lines == ["status no-tag"])
        #expect(outcome.drops == [.malformed: frame.count])
    }

    @Test func statusWordsAndOtherResponses() {
        #expect(lines(MercuryFrame.response(0x21, status: 0x0400)) == ["status no-tag"])
        #expect(lines(MercuryFrame.response(0x22, status: 0x0400)) == ["status no-tag"])
        #expect(lines(MercuryFrame.response(0x21, status: 0x0105)) == ["status error 21:0105"])
        #expect(lines(MercuryFrame.response(0x93)) == ["status response 93"])
        #expect(lines(MercuryFrame.response(0x22, [0x00, 0x00, 0x00, 0x05])) == ["status response 22:00000005"])
    }

    @Test func aFailedCRCDropsOnlyUpToTheNextPossibleFrame() {
        // The corrupted frame holds an FF (in its metadata flags), so it goes in two pieces; the
        // frame after it is untouched.
        var broken = MercuryEmulator.readTagSingleResponse(
            FieldTag(id: epc, rssi: -40), option: 0x10, metadata: MercuryFrame.Metadata(rawValue: 0x00FF), now: now)
        broken[broken.count - 1] ^= 0x55
        let good = MercuryFrame.response(0x21, status: 0x0400)
        let outcome = decode(broken + good, with: MercuryDecoder())
        #expect(outcome.lines == ["status no-tag"])
        #expect(outcome.drops.values.reduce(0, +) == broken.count)
        #expect(outcome.drops[.badChecksum, default: 0] >= 7)
    }

    @Test func pollingPlan() throws {
        let plan = try MercuryFrame.pollingPlan([:])
        #expect(plan.startup == [[0xFF, 0x00, 0x03, 0x1D, 0x0C], MercuryFrame.setGen2Protocol])
        #expect(plan.poll == MercuryFrame.readTagSingle(timeoutMs: 100, metadata: [.rssi, .antenna]))
        #expect(plan.poll.prefix(8) == [0xFF, 0x05, 0x21, 0x00, 0x64, 0x10, 0x00, 0x06])
        #expect(plan.interval == .milliseconds(200))
        let custom = try MercuryFrame.pollingPlan(["pollIntervalMs": "500", "readTimeoutMs": "250"])
        #expect(custom.interval == .milliseconds(500) && custom.poll[3...4] == [0x00, 0xFA])
        let descriptor = try #require(ProtocolRegistry.descriptor(for: "thingmagic-mercury"))
        #expect(descriptor.settings.names == ["pollIntervalMs", "readTimeoutMs"])
        #expect(throws: ProtocolOptionError.self) { try #require(descriptor.serial).makeDecoder(["readTimeoutMs": "200"]) }
        #expect(throws: ProtocolOptionError.self) { try #require(descriptor.serial).makeDecoder(["readTimeoutMs": "5"]) }
        #expect(try #require(descriptor.serial).polling(["readTimeoutMs": "900"]) == nil)
    }

    @Test func emulatorAnswersThePollingPlanHoweverChunked() throws {
        let plan = try MercuryFrame.pollingPlan([:])
        var emulator = MercuryEmulator()
        var answers: [UInt8] = []
        let field = [FieldTag(id: epc, antenna: 1, rssi: -57), FieldTag(id: TagID(hex: "E200")!)]
        for message in plan.startup + [plan.poll] {
            for byte in message { answers += emulator.respond(to: [byte], field: field, now: now) }
        }
        answers += emulator.respond(to: plan.poll, field: [], now: now)
        answers += emulator.respond(to: MercuryFrame.command(0x6A), field: field, now: now)
        var corrupted = plan.poll
        corrupted[3] ^= 0x01
        answers += emulator.respond(to: corrupted, field: field, now: now)
        let outcome = decode(answers, with: MercuryDecoder())
        #expect(outcome.drops.isEmpty)
        #expect(outcome.lines.count == 6 - 1)
        #expect(outcome.lines.first?.hasPrefix("status response 03:") == true)
        #expect(Array(outcome.lines.dropFirst()) == [
            "status response 93",
            "tag epc-gen2 3074257BF7194E4000001A85 ant=1 rssi=-57",
            "status no-tag",
            "status error 6A:0101",
        ])
    }
}
