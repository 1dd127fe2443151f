import Testing
import TagwayModel
@testable import TagwaySessions

/// A session that holds a conversation (LLRP's shape, scripted here): each step of the
/// conversation becomes actions, its deadline a `.conversation` timer, its failure a reconnect.
@Suite struct ConversationSessionTests {
    typealias T = SessionTest

    static let hello = Array("HELLO\n".utf8)
    static let tag = ReaderFrame.tag(TagObservation(technology: .epcGen2, id: TagID(hex: "E2801160600002085C4C2AA5")!, antenna: 2,
                                                    seenAt: T.at(-40)))
    static let dead = SessionFailure(kind: "keepalive-timeout", description: "no keepalive from 10.1.2.3:5084 for 30 s")
    static let rejected = SessionFailure(kind: "rospec-rejected", description: "the reader rejected ADD_ROSPEC")

    /// Says hello on connecting and waits 5 s for an answer; `TAG` lines are a tag each and keep
    /// the deadline; `WARN` is a notice; `NO` ends the connection; silence ends it too.
    static func script() -> ScriptedConversation {
        var script = ScriptedConversation()
        script.hello = ConversationStep(send: [hello], deadline: .after(.seconds(5)))
        script.replies["OK"] = ConversationStep(send: [Array("START\n".utf8)],
                                                health: [.details(ReaderDetails(model: "scripted", antennaPorts: 4))],
                                                deadline: .after(.seconds(30)))
        script.replies["TAG"] = ConversationStep(frames: [tag], deadline: .after(.seconds(30)))
        script.replies["WARN"] = ConversationStep(notices: ["the reader's clock is 3 s ahead"])
        script.replies["QUIET"] = ConversationStep(deadline: .cancel)
        script.replies["NO"] = ConversationStep(send: [Array("SORRY\n".utf8)], failure: rejected)
        script.onDeadline = ConversationStep(failure: dead)
        script.goodbye = [Array("BYE\n".utf8)]
        return script
    }

    static func machine(_ script: ScriptedConversation = script(),
                        backoff: Backoff = Backoff(initial: .milliseconds(250), maximum: .seconds(5))) -> Machine {
        Machine(plan: ReaderSessionPlan(decoding: .conversation(script), backoff: backoff), random: SplitMix64(seed: 7))
    }

    static func conversation(_ machine: Machine) -> ScriptedConversation? { machine.conversation as? ScriptedConversation }

    @Test func connectingStartsTheConversationAndArmsItsDeadline() throws {
        var machine = Self.machine()
        let id = try #require(T.opens(machine.handle(.start(at: T.t0))))
        let actions = machine.handle(.opened(id, at: T.t0))
        let (token, delay) = try #require(T.timer(actions, .conversation))
        #expect(actions == [.health(.connected(at: T.t0, path: nil)), .send(Self.hello), .armTimer(token, after: .seconds(5))])
        #expect(delay == .seconds(5))
        #expect(Self.conversation(machine)?.connections == 1)
    }

    @Test func bytesBecomeTheStepsActionsWithTheReceivedHealth() {
        var machine = Self.machine()
        let id = T.connect(&machine)
        let answer = machine.handle(.bytes(id, Array("OK\n".utf8), at: T.at(10)))
        let deadline = T.timer(answer, .conversation)
        #expect(answer.first == .health(.received(frames: 0, bytes: 3, at: T.at(10))))
        #expect(T.sent(answer) == [Array("START\n".utf8)])
        #expect(answer.contains(.health(.details(ReaderDetails(model: "scripted", antennaPorts: 4)))))
        #expect(deadline?.delay == .seconds(30))

        // Two tags split across chunks: the frames come when their lines complete, stamped with
        // the chunk's time, each tag keeping the time the reader saw it.
        #expect(T.frames(machine.handle(.bytes(id, Array("TAG\nTA".utf8), at: T.at(20)))) == [Self.tag])
        let second = machine.handle(.bytes(id, Array("G\n".utf8), at: T.at(30)))
        #expect(second.contains(.emit([Self.tag], at: T.at(30))))
        #expect(second.first == .health(.received(frames: 1, bytes: 2, at: T.at(30))))
        #expect(Self.conversation(machine)?.lines == ["OK", "TAG", "TAG"])
    }

    @Test func noticesBecomeNoticeActions() {
        var machine = Self.machine()
        let id = T.connect(&machine)
        let actions = machine.handle(.bytes(id, Array("WARN\n".utf8), at: T.at(5)))
        #expect(actions == [.health(.received(frames: 0, bytes: 5, at: T.at(5))), .notice("the reader's clock is 3 s ahead")])
    }

    @Test func theCurrentDeadlineEndsTheConnectionAndBacksOff() throws {
        var machine = Self.machine()
        let id = try #require(T.opens(machine.handle(.start(at: T.t0))))
        let (token, _) = try #require(T.timer(machine.handle(.opened(id, at: T.t0)), .conversation))
        let actions = machine.handle(.timerFired(token, at: T.at(5_000)))
        let (reopen, delay) = try #require(T.timer(actions, .reopen))
        #expect(actions == [.close(id), .health(.count(.conversationProblems(kind: "keepalive-timeout"), by: 1)),
                            .health(.disconnected(Self.dead, retryIn: delay)), .armTimer(reopen, after: delay)])
        #expect(machine.openConnection == nil)

        // The reopen tells the same conversation of a new connection, which starts over.
        let next = try #require(T.opens(machine.handle(.timerFired(reopen, at: T.at(6_000)))))
        let opened = machine.handle(.opened(next, at: T.at(6_000)))
        #expect(opened.contains(.health(.count(.reconnects, by: 1))))
        #expect(T.sent(opened) == [Self.hello])
        #expect(Self.conversation(machine)?.connections == 2)
        #expect(Self.conversation(machine)?.lines == [])
    }

    @Test func aReplacedOrCancelledDeadlineIsStale() throws {
        var machine = Self.machine()
        let id = try #require(T.opens(machine.handle(.start(at: T.t0))))
        let (first, _) = try #require(T.timer(machine.handle(.opened(id, at: T.t0)), .conversation))
        let (second, _) = try #require(T.timer(machine.handle(.bytes(id, Array("TAG\n".utf8), at: T.at(1))), .conversation))
        #expect(first != second)
        #expect(machine.handle(.timerFired(first, at: T.at(5_000))).isEmpty, "replaced by the tag's deadline")

        #expect(T.timer(machine.handle(.bytes(id, Array("QUIET\n".utf8), at: T.at(2))), .conversation) == nil)
        #expect(machine.handle(.timerFired(second, at: T.at(30_000))).isEmpty, "cancelled")
        #expect(machine.openConnection == id)
    }

    @Test func aFailedStepSendsWhatItSaysThenClosesCountingOneConversationProblem() throws {
        var machine = Self.machine()
        let id = T.connect(&machine)
        let actions = machine.handle(.bytes(id, Array("NO\n".utf8), at: T.at(3)))
        let (reopen, delay) = try #require(T.timer(actions, .reopen))
        #expect(actions == [.health(.received(frames: 0, bytes: 3, at: T.at(3))), .send(Array("SORRY\n".utf8)), .close(id),
                            .health(.count(.conversationProblems(kind: "rospec-rejected"), by: 1)),
                            .health(.disconnected(Self.rejected, retryIn: delay)), .armTimer(reopen, after: delay)])
        var counters = ReaderCounters()
        T.counters(actions, into: &counters)
        #expect(counters.errors == ["rospec-rejected": 1], "counted once, not also as a link failure")
        #expect(machine.handle(.bytes(id, Array("TAG\n".utf8), at: T.at(4))).isEmpty, "late bytes of the closed connection")
    }

    @Test func aFailureInTheFirstStepClosesAtOnce() throws {
        var script = Self.script()
        script.hello = ConversationStep(failure: Self.rejected)
        var machine = Self.machine(script)
        let id = try #require(T.opens(machine.handle(.start(at: T.t0))))
        let actions = machine.handle(.opened(id, at: T.t0))
        #expect(actions.prefix(3) == [.health(.connected(at: T.t0, path: nil)), .close(id),
                                      .health(.count(.conversationProblems(kind: "rospec-rejected"), by: 1))])
        #expect(T.timer(actions, .reopen) != nil)
    }

    /// A reader that accepts every connection and rejects every configuration must not be
    /// reconnected at the shortest delay forever: only tags read reset the backoff.
    @Test func theBackoffGrowsAcrossRejectedConversationsAndResetsOnceTagsAreRead() throws {
        var script = Self.script()
        script.hello = ConversationStep(failure: Self.rejected)
        var machine = Self.machine(script, backoff: Backoff(initial: .milliseconds(100), maximum: .seconds(60)))
        var id = try #require(T.opens(machine.handle(.start(at: T.t0))))
        for attempt in 1...5 {
            let (reopen, _) = try #require(T.timer(machine.handle(.opened(id, at: T.t0)), .reopen))
            #expect(machine.backoff.attempt == attempt)
            id = try #require(T.opens(machine.handle(.timerFired(reopen, at: T.t0))))
        }

        var reading = Self.script()
        reading.hello = ConversationStep()
        machine = Self.machine(reading, backoff: Backoff(initial: .milliseconds(100), maximum: .seconds(60)))
        id = try #require(T.opens(machine.handle(.start(at: T.t0))))
        let (reopen, _) = try #require(T.timer(machine.handle(.openFailed(id, T.lost, at: T.t0)), .reopen))
        id = try #require(T.opens(machine.handle(.timerFired(reopen, at: T.t0))))
        _ = machine.handle(.opened(id, at: T.t0))
        #expect(machine.backoff.attempt == 1, "a connection alone does not reset it")
        _ = machine.handle(.bytes(id, Array("TAG\n".utf8), at: T.t0))
        #expect(machine.backoff.attempt == 0)
    }

    @Test func stopSendsTheFarewellThenCloses() {
        var machine = Self.machine()
        let id = T.connect(&machine)
        #expect(machine.handle(.stop) == [.send(Array("BYE\n".utf8)), .close(id), .health(.disconnected(nil, retryIn: nil))])
        #expect(machine.isStopped)
    }

    @Test func stopWithoutAConnectionSaysNothing() throws {
        var machine = Self.machine()
        let id = try #require(T.opens(machine.handle(.start(at: T.t0))))
        _ = machine.handle(.openFailed(id, T.lost, at: T.t0))
        #expect(machine.handle(.stop).isEmpty)
    }

    @Test func theEndOfTheStreamIsALinkLossNotAConversationProblem() throws {
        var machine = Self.machine()
        let id = T.connect(&machine)
        let reset = SessionFailure(kind: "connection-reset", description: "10.1.2.3:5084: connection reset by peer")
        let actions = machine.handle(.unplugged(id, reset, at: T.at(1)))
        #expect(actions.prefix(2) == [.close(id), .health(.count(.linkFailures(kind: "connection-reset"), by: 1))])
        #expect(T.timer(actions, .reopen) != nil)
    }
}
