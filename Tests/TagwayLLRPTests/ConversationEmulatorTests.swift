import Testing
import TagwayEmulators
import TagwayModel
import TagwaySessions
@testable import TagwayLLRP

/// The client conversation against the reader emulator, in memory on a stepped clock: what the
/// gateway's session machine would see over a socket, without one.
@Suite struct ConversationEmulatorTests {
    typealias T = ConversationTest

    static let field = [FieldTag(id: TagID(bytes: T.epcA), antenna: 1, rssi: -52), FieldTag(id: TagID(bytes: T.epcB), antenna: 2, rssi: -63)]

    /// A connection between the two: bytes each way every tick, the conversation's one deadline.
    struct Link {
        var conversation: LLRPClientConversation
        var reader: LLRPReaderEmulator
        var field = ConversationEmulatorTests.field
        var now = T.t0
        var deadline: Timestamp?
        var toReader: [UInt8] = []
        var steps: [ConversationStep] = []
        var failure: SessionFailure?
        var connections = 0

        init(_ settings: [String: String] = [:], script: LLRPEmulatorScript = LLRPEmulatorScript()) {
            conversation = LLRPClientConversation(plan: T.plan(settings, antennas: []))
            reader = LLRPReaderEmulator(script: script)
        }

        var reads: [TagObservation] { steps.flatMap(T.tags) }
        var notices: [String] { steps.flatMap(\.notices) }
        var details: ReaderDetails? { steps.compactMap(T.details).last }

        mutating func connect() {
            connections += 1
            failure = nil
            deadline = nil
            toReader = []
            apply(conversation.connected(at: now))
            let greeting = reader.accepted(field: field, now: now)
            apply(conversation.received(greeting, at: now))
        }

        mutating func apply(_ step: ConversationStep) {
            steps.append(step)
            toReader += step.send.flatMap { $0 }
            switch step.deadline {
            case .after(let delay): deadline = now + delay
            case .cancel: deadline = nil
            case nil: break
            }
            if let failure = step.failure { self.failure = failure }
        }

        /// Runs until `duration` passed, the conversation failed or the reader hung up.
        mutating func run(for duration: Duration, tick: Duration = .milliseconds(100)) {
            let end = now + duration
            while now < end, failure == nil, !reader.closeRequested {
                now = now + tick
                if let due = deadline, now >= due {
                    deadline = nil
                    apply(conversation.deadlinePassed(at: now))
                    if failure != nil { return }
                }
                let sent = toReader
                toReader = []
                let bytes = reader.respond(to: sent, field: field, now: now) + reader.unsolicited(field: field, now: now)
                if !bytes.isEmpty { apply(conversation.received(bytes, at: now)) }
            }
        }
    }

    @Test func theClientConfiguresTheEmulatorAndReadsItsField() {
        var link = Link()
        link.connect()
        link.run(for: .seconds(25))
        #expect(link.failure == nil)
        let firstReads = Array(link.reads.prefix(2))
        #expect(firstReads.map(\.id) == Self.field.map(\.id))
        #expect(firstReads.map(\.antenna) == [1, 2])
        #expect(firstReads.map(\.rssi) == [-52, -63])
        #expect(link.reader.activeROSpec?.id == 1)
        #expect(link.reader.keepalive == .seconds(10))
        #expect(link.details?.model == "Impinj R700")
        #expect(link.details?.readerClockUsed == true)
        #expect(link.details?.clockSkew.map { $0 <= .zero && $0 > .milliseconds(-200) } == true)
        let times = link.reads.compactMap(\.seenAt)
        #expect(times == times.sorted(), "reads in order")
        #expect(link.reads.allSatisfy { $0.seenAt != nil })
    }

    @Test func impinjExtensionsGiveTheHighResolutionRSSI() {
        var link = Link(["vendorExtensions": "true", "searchMode": "2"])
        link.connect()
        link.run(for: .seconds(1))
        #expect(link.failure == nil)
        #expect(link.reader.activeROSpec?.impinjSearchMode == 2)
        #expect(Array(link.reads.prefix(2).map(\.rssi)) == [-52, -63])
    }

    @Test func aRejectedROSpecEndsTheConnectionNamingTheStatus() {
        let status = LLRPStatus(code: LLRPStatusCode(rawValue: 301), errorDescription: "antenna 4 not licensed")
        var link = Link(script: LLRPEmulatorScript(faults: .init(rejectAddROSpec: status), faultyConnections: 1))
        link.connect()
        link.run(for: .seconds(1))
        #expect(link.failure?.kind == "rospec-rejected")
        #expect(link.failure?.description == "ADD_ROSPEC refused: A_OutOfRange (301): antenna 4 not licensed")
        // The next connection is not faulty: configured from scratch, it reads.
        link.connect()
        link.run(for: .seconds(1))
        #expect(link.failure == nil)
        #expect(!link.reads.isEmpty)
    }

    @Test func aBusyReaderIsRefused() {
        var link = Link(script: LLRPEmulatorScript(faults: .init(busy: true)))
        link.connect()
        #expect(link.failure?.kind == "reader-busy")
        #expect(link.reads.isEmpty)
    }

    @Test func aSilentReaderTimesOutAfterThreeKeepalivePeriods() {
        var link = Link(["keepalive": "1s"], script: LLRPEmulatorScript(faults: .init(silentAfter: .seconds(5))))
        link.connect()
        link.run(for: .seconds(30))
        #expect(link.failure?.kind == "keepalive-timeout")
        // Silent from 5 s; the last message was a tick before; three periods later it is dead.
        #expect(link.now >= T.at(7_900) && link.now <= T.at(8_100), "\(link.now)")
    }

    @Test func keepalivesAreAnsweredAndKeepTheConnectionAlive() throws {
        var link = Link(["keepalive": "1s"])
        link.connect()
        link.run(for: .seconds(10))
        #expect(link.failure == nil)
        let acks = try link.steps.flatMap(T.sent).filter { $0.message == .keepaliveAck }
        #expect(acks.count >= 9)
    }

    @Test func aReaderClockHoursOffIsNotUsed() {
        var link = Link(script: LLRPEmulatorScript(clockOffset: .seconds(3 * 3600 + 120)))
        link.connect()
        link.run(for: .seconds(1))
        #expect(link.details?.readerClockUsed == false)
        #expect(link.notices.contains("reader clock is 3 h 2 min ahead of the gateway; using the gateway's clock for its reads"))
        // Each read gets the time it arrived: within the run, not three hours ahead.
        #expect(!link.reads.isEmpty)
        #expect(link.reads.allSatisfy { $0.seenAt.map { $0 > T.t0 && $0 <= link.now } == true })
    }

    @Test func aDroppedConnectionIsConfiguredAgainFromScratch() throws {
        var link = Link(script: LLRPEmulatorScript(faults: .init(dropAfterReports: 3), faultyConnections: 1))
        link.connect()
        link.run(for: .seconds(5))
        #expect(link.reader.closeRequested)
        let before = link.reads.count
        let firstRequests = try link.steps.flatMap(T.sent).map(\.message)
        link.steps = []
        link.connect()
        link.run(for: .seconds(1))
        let secondRequests = try link.steps.flatMap(T.sent).map(\.message).filter { $0 != .keepaliveAck }
        #expect(secondRequests == firstRequests.filter { $0 != .keepaliveAck })
        #expect(before > 0 && !link.reads.isEmpty)
    }
}
