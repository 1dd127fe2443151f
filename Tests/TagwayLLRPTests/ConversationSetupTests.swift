import Testing
import TagwayModel
import TagwaySessions
@testable import TagwayLLRP

/// From the reader's greeting to START_ROSPEC: the requests, their order, their answers, and
/// every way the setup can be refused.
@Suite struct ConversationSetupTests {
    typealias T = ConversationTest

    @Test func happyPathConfiguresTheReaderInOrderWithItsOwnIDs() throws {
        var conversation = LLRPClientConversation(plan: T.plan(["session": "2", "readerMode": "1002"], power: [1: 27.3]))
        let connected = conversation.connected(at: T.t0)
        #expect(connected.send.isEmpty, "the reader speaks first")
        #expect(connected.deadline == .after(.seconds(10)))
        let (requests, steps) = try T.configure(&conversation, capabilities: T.fx9600)
        #expect(requests.map(\.message) == [
            .getReaderCapabilities,
            .setReaderConfig(ReaderConfiguration(keepaliveMilliseconds: 10_000, events: [
                .hopping: false, .gpi: false, .roSpec: true, .reportBufferFillWarning: true, .readerException: true,
                .rfSurvey: false, .aiSpec: false, .aiSpecWithDetails: false, .antenna: true,
            ], holdEventsAndReportsUponReconnect: false)),
            .deleteROSpec(roSpecID: 0),
            .addROSpec(ROSpec(id: 1, antennas: [.init(id: 1, transmitPowerIndex: 2), .init(id: 2)], modeIndex: 1002, session: 2,
                              reportEveryTags: 1)),
            .enableROSpec(roSpecID: 1),
            .startROSpec(roSpecID: 1),
        ])
        #expect(Set(requests.map(\.id)).count == requests.count, "each request has its own id")
        #expect(steps.last?.deadline == .after(.seconds(30)), "inventorying: the liveness deadline is 3 keepalive periods")
        #expect(steps.allSatisfy { $0.failure == nil })
        #expect(conversation.phase == .inventorying)
        let details = steps.compactMap(T.details).last
        #expect(details?.model == "Zebra FX9600")
        #expect(details?.firmware == "3.10.30")
        #expect(details?.antennaPorts == 8)
    }

    @Test func eachRequestAwaitsItsAnswerWithADeadline() throws {
        var conversation = LLRPClientConversation(plan: T.plan())
        _ = conversation.connected(at: T.t0)
        let greeted = conversation.received(T.greeting(), at: T.t0)
        #expect(try T.sent(greeted).map(\.message) == [.getReaderCapabilities])
        #expect(greeted.deadline == .after(.seconds(10)))
        let late = conversation.deadlinePassed(at: T.at(10_000))
        #expect(late.failure?.kind == "no-response")
        #expect(late.failure?.description.contains("GET_READER_CAPABILITIES") == true)
        #expect(T.counted([late]) == [:], "the session machine counts the failure, once")
        #expect(conversation.received(T.bytes(.keepalive), at: T.at(10_001)) == ConversationStep(), "nothing is read after a failure")
    }

    @Test func aReaderThatNeverGreetsFails() {
        var conversation = LLRPClientConversation(plan: T.plan())
        _ = conversation.connected(at: T.t0)
        let step = conversation.deadlinePassed(at: T.at(10_000))
        #expect(step.failure?.kind == "no-response")
        #expect(step.failure?.description.contains("READER_EVENT_NOTIFICATION") == true)
    }

    @Test(arguments: [
        ReaderEventNotification.ConnectionAttempt.clientInitiatedConnectionExists, .readerInitiatedConnectionExists,
        .failedOtherReason, .anotherConnectionAttempted,
    ])
    func aBusyReaderIsRefusedClearly(attempt: ReaderEventNotification.ConnectionAttempt) throws {
        var conversation = LLRPClientConversation(plan: T.plan())
        _ = conversation.connected(at: T.t0)
        let step = conversation.received(T.greeting(attempt), at: T.t0)
        #expect(step.send.isEmpty)
        #expect(step.failure?.kind == "reader-busy")
        #expect(step.failure?.recovery == .retryAfterBackoff)
        #expect(step.failure?.description.contains("status \(attempt.rawValue)") == true)
        #expect(step.failure?.description.contains("one client at a time") == true)
    }

    /// Each request refused in turn: the failure names it and the reader's status.
    @Test(arguments: Array(1...6))
    func eachRefusalEndsTheSetupWithItsStatus(refused: Int) throws {
        var conversation = LLRPClientConversation(plan: T.plan())
        _ = conversation.connected(at: T.t0)
        var step = conversation.received(T.greeting(), at: T.t0)
        let refusal = LLRPStatus(code: LLRPStatusCode(rawValue: 301), errorDescription: "antenna 9 out of range")
        for index in 1...refused {
            let request = try #require(try T.sent(step).last)
            if index < refused {
                step = conversation.received(T.answer(request, capabilities: T.fx9600), at: T.t0)
                continue
            }
            step = conversation.received(T.respond(request, refusal), at: T.t0)
            let names = ["GET_READER_CAPABILITIES", "SET_READER_CONFIG", "DELETE_ROSPEC", "ADD_ROSPEC", "ENABLE_ROSPEC", "START_ROSPEC"]
            let kind = refused <= 2 ? "config-rejected" : "rospec-rejected"
            #expect(step.failure?.kind == kind)
            #expect(step.failure?.description == "\(names[refused - 1]) refused: A_OutOfRange (301): antenna 9 out of range")
            #expect(T.counted([step]).isEmpty, "the session machine counts the failure, once")
            #expect(step.send.isEmpty)
        }
    }

    @Test func anErrorMessageNamingTheRequestIsItsRefusal() throws {
        var conversation = LLRPClientConversation(plan: T.plan())
        _ = conversation.connected(at: T.t0)
        let step = conversation.received(T.greeting(), at: T.t0)
        let request = try #require(try T.sent(step).last)
        let refused = conversation.received(
            T.bytes(.errorMessage(LLRPStatus(code: .unsupportedMessage, errorDescription: "no")), id: request.id), at: T.t0)
        #expect(refused.failure?.kind == "config-rejected")
        #expect(refused.failure?.description == "GET_READER_CAPABILITIES refused with ERROR_MESSAGE: M_UnsupportedMessage (109): no")
    }

    @Test func anAnswerWithAnotherIDIsCountedAndTheRequestStillAwaited() throws {
        var conversation = LLRPClientConversation(plan: T.plan())
        _ = conversation.connected(at: T.t0)
        let step = conversation.received(T.greeting(), at: T.t0)
        let request = try #require(try T.sent(step).last)
        let stray = conversation.received(T.bytes(.getReaderCapabilitiesResponse(.success, T.r700), id: request.id &+ 7), at: T.t0)
        #expect(stray.send.isEmpty && stray.failure == nil)
        #expect(T.counted([stray]) == ["unexpected-message": 1])
        let answered = conversation.received(T.answer(request), at: T.t0)
        #expect(try T.sent(answered).count == 1, "the right answer moves the setup on")
    }

    @Test func impinjExtensionsAreEnabledOnlyForAnImpinjWhenAsked() throws {
        var on = LLRPClientConversation(plan: T.plan(["vendorExtensions": "true", "searchMode": "2"]))
        let impinj = try T.configure(&on, capabilities: T.r700).requests.map(\.message)
        #expect(impinj[1] == .impinjEnableExtensions)
        guard case .addROSpec(let spec) = impinj[4] else { Issue.record("ADD_ROSPEC expected, got \(impinj[4])"); return }
        #expect(spec.impinjSearchMode == 2 && spec.impinjPhaseAndRSSI)

        var zebra = LLRPClientConversation(plan: T.plan(["vendorExtensions": "true", "searchMode": "2"]))
        let (plain, steps) = try T.configure(&zebra, capabilities: T.fx9600)
        #expect(!plain.map(\.message).contains(.impinjEnableExtensions))
        #expect(steps.flatMap(\.notices).contains { $0.contains("not an Impinj") && $0.contains("searchMode is ignored") })

        var off = LLRPClientConversation(plan: T.plan())
        let without = try T.configure(&off, capabilities: T.r700).requests.map(\.message)
        #expect(!without.contains(.impinjEnableExtensions))
        guard case .addROSpec(let plainSpec) = without[3] else { Issue.record("ADD_ROSPEC expected"); return }
        #expect(plainSpec.impinjSearchMode == nil && !plainSpec.impinjPhaseAndRSSI)
    }

    @Test func aRefusedImpinjExtensionIsAConfigurationFailure() throws {
        var conversation = LLRPClientConversation(plan: T.plan(["vendorExtensions": "true"]))
        _ = conversation.connected(at: T.t0)
        let asked = try #require(try T.sent(conversation.received(T.greeting(), at: T.t0)).last)
        let enable = try #require(try T.sent(conversation.received(T.answer(asked), at: T.t0)).last)
        #expect(enable.message == .impinjEnableExtensions)
        let refused = conversation.received(T.respond(enable, LLRPStatus(code: .unsupportedMessage, errorDescription: "no")), at: T.t0)
        #expect(refused.failure?.kind == "config-rejected")
        #expect(refused.failure?.description == "IMPINJ_ENABLE_EXTENSIONS refused: M_UnsupportedMessage (109): no")
    }

    @Test func antennasBeyondTheReadersPortsAreAConfigurationFailure() throws {
        var conversation = LLRPClientConversation(plan: T.plan(antennas: [1, 5, 6]))
        let (requests, steps) = try T.configure(&conversation, capabilities: T.r700)
        #expect(requests.map(\.message) == [.getReaderCapabilities])
        let failure = try #require(steps.last?.failure)
        #expect(failure.kind == "reader-config")
        #expect(failure.description.contains("antenna 5, 6 configured"))
        #expect(failure.description.contains("Impinj R700") && failure.description.contains("4 antenna ports"))
    }

    @Test func noAntennasConfiguredMeansEveryPort() throws {
        var conversation = LLRPClientConversation(plan: T.plan(antennas: []))
        let requests = try T.configure(&conversation, capabilities: T.r700).requests
        guard case .addROSpec(let spec) = requests[3].message else { Issue.record("ADD_ROSPEC expected"); return }
        #expect(spec.antennas.map(\.id) == [1, 2, 3, 4])
    }

    @Test func aReconnectConfiguresFromScratchWithTheSameRequests() throws {
        var conversation = LLRPClientConversation(plan: T.plan(power: [2: 20]))
        let first = try T.configure(&conversation, at: T.t0).requests
        _ = conversation.received(T.bytes(.keepalive, id: 9), at: T.at(1000))
        let second = try T.configure(&conversation, at: T.at(60_000)).requests
        #expect(first.map(\.message) == second.map(\.message))
        #expect(Set(first.map(\.id)).isDisjoint(with: second.map(\.id)), "ids keep counting across connections")
    }

    @Test func farewellClosesTheConnectionOnce() throws {
        var conversation = LLRPClientConversation(plan: T.plan())
        #expect(conversation.farewell().isEmpty, "nothing to say without a connection")
        try T.configure(&conversation)
        let goodbye = conversation.farewell()
        #expect(try T.sent(ConversationStep(send: goodbye)).map(\.message) == [.closeConnection])
        #expect(conversation.farewell().isEmpty)
    }
}
