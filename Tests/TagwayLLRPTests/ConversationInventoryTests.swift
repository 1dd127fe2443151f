import Testing
import TagwayModel
import TagwaySessions
@testable import TagwayLLRP

/// After START_ROSPEC: reports become reads, keepalives are answered, silence and bad bytes end
/// the connection, events are counted and logged.
@Suite struct ConversationInventoryTests {
    typealias T = ConversationTest

    static func inventorying(_ settings: [String: String] = [:]) throws -> LLRPClientConversation {
        var conversation = LLRPClientConversation(plan: T.plan(settings))
        try T.configure(&conversation)
        return conversation
    }

    static func report(_ tags: [TagReport]) -> [UInt8] { T.bytes(.roAccessReport(tags), id: 77) }

    @Test func reportsBecomeGen2ReadsWithAntennaRSSIAndPC() throws {
        var conversation = try Self.inventorying()
        let step = conversation.received(Self.report([
            TagReport(epc: T.epcA, pc: 0x3000, antennaID: 1, peakRSSI: -52, firstSeen: T.readerUTC(900), lastSeen: T.readerUTC(950), seenCount: 3),
            TagReport(epc: T.epcB, pc: 0x3000, antennaID: 2, peakRSSI: -60, lastSeen: T.readerUTC(980), impinjPeakRSSI: -6149),
        ]), at: T.at(1000))
        #expect(T.tags(step) == [
            TagObservation(technology: .epcGen2, id: TagID(bytes: T.epcA), antenna: 1, rssi: -52, pc: 0x3000, seenAt: T.at(970)),
            TagObservation(technology: .epcGen2, id: TagID(bytes: T.epcB), antenna: 2, rssi: -61, pc: 0x3000, seenAt: T.at(1000)),
        ], "Impinj's peak RSSI in hundredths wins over the coarse one, rounded; the report's 20 ms delay is the least seen")
        #expect(step.deadline == nil, "the liveness deadline armed when the inventory started stays: no timer per report")
        #expect(step.failure == nil && step.send.isEmpty)
    }

    @Test func keepalivesAreAcknowledgedWithTheirID() throws {
        var conversation = try Self.inventorying()
        let step = conversation.received(T.bytes(.keepalive, id: 4242), at: T.at(10_000))
        let acks = try T.sent(step)
        #expect(acks.map(\.message) == [.keepaliveAck])
        #expect(acks.first?.id == 4242)
        #expect(step.deadline == nil)
    }

    @Test func theLivenessDeadlineWaitsOutThePeriodSinceTheReaderWasLastHeard() throws {
        var conversation = try Self.inventorying(["keepalive": "5s"])
        _ = conversation.received(T.bytes(.keepalive, id: 1), at: T.at(9_000))
        // Armed for 15 s when the inventory started; the reader spoke 6 s before it passes.
        let early = conversation.deadlinePassed(at: T.at(15_000))
        #expect(early.failure == nil)
        #expect(early.deadline == .after(.seconds(9)), "15 s after the keepalive at 9 s")
        let late = conversation.deadlinePassed(at: T.at(24_000))
        #expect(late.failure?.kind == "keepalive-timeout")
    }

    @Test func silencePastThreeKeepalivePeriodsIsADeadReader() throws {
        var conversation = try Self.inventorying(["keepalive": "5s"])
        let step = conversation.deadlinePassed(at: T.at(15_000))
        #expect(step.failure?.kind == "keepalive-timeout")
        #expect(step.failure?.description.contains("15 s") == true)
        #expect(T.counted([step]) == [:], "the session machine counts the failure, once")
        #expect(step.deadline == .cancel)
        // The machine reconnects: a new connection starts the setup again.
        let again = try T.configure(&conversation, at: T.at(20_000)).requests
        #expect(again.first?.message == .getReaderCapabilities)
    }

    @Test func bytesInAnyChunkingGiveTheSameReads() throws {
        let tags = (0..<5).map { n in
            TagReport(epc: T.epcA + [UInt8(n)], antennaID: 1, peakRSSI: -50, lastSeen: T.readerUTC(Int64(900 + n)))
        }
        let stream = Self.report(Array(tags[0..<2])) + T.bytes(.keepalive, id: 5) + Self.report(Array(tags[2...]))
        var whole = try Self.inventorying()
        let expected = whole.received(stream, at: T.at(1000))
        for size in [1, 2, 3, 7, 10, 11, 64] {
            var chunked = try Self.inventorying()
            var reads: [TagObservation] = []
            var sent: [LLRPEnvelope] = []
            var start = 0
            while start < stream.count {
                let end = min(stream.count, start + size)
                let step = chunked.received(Array(stream[start..<end]), at: T.at(1000))
                reads += T.tags(step)
                sent += try T.sent(step)
                #expect(step.failure == nil)
                start = end
            }
            // Reads of one step are sorted together; across steps they are only kept in order.
            #expect(reads.map(\.id).sorted() == T.tags(expected).map(\.id).sorted(), "chunks of \(size)")
            let times = reads.compactMap(\.seenAt)
            #expect(times.count == 5 && times == times.sorted() && times.allSatisfy { $0 <= T.at(1000) }, "chunks of \(size)")
            #expect(sent.map(\.message) == [.keepaliveAck])
        }
        #expect(T.tags(expected).count == 5)
    }

    @Test func aBadHeaderLosesFramingAndEndsTheConnection() throws {
        var conversation = try Self.inventorying()
        // Version 1, RO_ACCESS_REPORT, length 5: shorter than a header.
        let step = conversation.received(Self.report([TagReport(epc: T.epcA)]) + [0x04, 0x3D, 0, 0, 0, 5, 0, 0, 0, 1], at: T.at(1000))
        #expect(T.tags(step).count == 1, "what came before the bad header is kept")
        #expect(step.failure?.kind == "framing")
        #expect(T.counted([step]) == [:], "the session machine counts the failure, once")
    }

    @Test func aMalformedMessageIsCountedAndSkipped() throws {
        var conversation = try Self.inventorying()
        // RO_ACCESS_REPORT whose TagReportData (240) claims 255 bytes in a 4-byte body.
        let malformed: [UInt8] = [0x04, 0x3D, 0, 0, 0, 14, 0, 0, 0, 3, 0x00, 0xF0, 0x00, 0xFF]
        let first = conversation.received(malformed + Self.report([TagReport(epc: T.epcA)]), at: T.at(1000))
        #expect(first.failure == nil)
        #expect(T.tags(first).map(\.id) == [TagID(bytes: T.epcA)], "the stream goes on after the bad message")
        #expect(T.counted([first]) == ["malformed-message": 1])
        #expect(first.notices.count == 1)
        let second = conversation.received(malformed, at: T.at(1001))
        #expect(T.counted([second]) == ["malformed-message": 1])
        #expect(second.notices.isEmpty, "noticed once per connection, counted always")
    }

    @Test func unknownMessagesAreCountedAndSkipped() throws {
        var conversation = try Self.inventorying()
        let step = conversation.received(T.bytes(.unsupported(LLRPMessageType(rawValue: 999)), id: 1) + T.bytes(.keepalive, id: 2),
                                         at: T.at(1000))
        #expect(T.counted([step]) == ["unexpected-message": 1])
        #expect(try T.sent(step).map(\.message) == [.keepaliveAck])
    }

    @Test func errorMessagesAreCountedAndLogged() throws {
        var conversation = try Self.inventorying()
        let step = conversation.received(
            T.bytes(.errorMessage(LLRPStatus(code: .deviceError, errorDescription: "antenna fault")), id: 1), at: T.at(1000))
        #expect(step.failure == nil)
        #expect(T.counted([step]) == ["error-message": 1])
        #expect(step.notices == ["the reader sent ERROR_MESSAGE: R_DeviceError (401): antenna fault"])
    }

    @Test func readerEventsUpdateAntennasAndAreCounted() throws {
        var conversation = try Self.inventorying()
        let event = ReaderEventNotification(
            timestamp: T.readerUTC(1000),
            antennaEvents: [.init(antennaID: 1, connected: true), .init(antennaID: 2, connected: true), .init(antennaID: 3, connected: false)],
            readerException: "PA temperature high", reportBufferFill: 90, reportBufferOverflow: true)
        let step = conversation.received(T.bytes(.readerEventNotification(event), id: 1), at: T.at(1000))
        #expect(T.details(step)?.antennasConnected == [1, 2])
        #expect(T.counted([step]) == ["reader-exception": 1, "report-buffer-warning": 1, "report-buffer-overflow": 1])
        #expect(step.notices.count == 3)
        let unplugged = conversation.received(
            T.bytes(.readerEventNotification(ReaderEventNotification(timestamp: T.readerUTC(1100), antennaEvents: [.init(antennaID: 2, connected: false)])), id: 2),
            at: T.at(1100))
        #expect(T.details(unplugged)?.antennasConnected == [1], "a change is published at once")
    }

    @Test func aConnectionCloseEventEndsTheConnection() throws {
        var conversation = try Self.inventorying()
        let event = ReaderEventNotification(timestamp: T.readerUTC(1000), connectionClosed: true)
        let step = conversation.received(T.bytes(.readerEventNotification(event), id: 1), at: T.at(1000))
        #expect(step.failure?.kind == "reader-closed")
    }

    @Test func detailsFollowChangesButLivenessAtMostOnceASecond() throws {
        var conversation = try Self.inventorying()
        var published: [ReaderDetails] = []
        for ms in stride(from: Int64(1000), through: 3000, by: 100) {
            let step = conversation.received(Self.report([TagReport(epc: T.epcA, lastSeen: T.readerUTC(ms - 5))]), at: T.at(ms))
            if let details = T.details(step) { published.append(details) }
        }
        #expect((2...4).contains(published.count), "21 reports over 2 s publish details a few times, not 21: \(published.count)")
        #expect(published.last?.model == "Impinj R700")
        #expect(published.last?.readerClockUsed == true)
        let total = try #require(published.last?.reports)
        #expect(total >= 11 && total <= 21)
    }
}
