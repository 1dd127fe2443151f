import Testing
import TagwayDecoders
import TagwayEmulators
import TagwayLLRP
import TagwayModel

/// The emulated reader's half of the conversation: the greeting, and every request answered with
/// its response type, the request's message id and the status a reader would give.
@Suite struct EmulatorRequestTests {
    @Test func greetsWithASuccessfulConnectionAttemptOnTheReadersUTCClock() throws {
        var client = EmulatorClient()
        let greeting = try client.connect()
        #expect(greeting.count == 1)
        #expect(greeting.first?.message == .readerEventNotification(
            ReaderEventNotification(timestamp: .utc(microseconds: EmulatorClient.micros(client.now)), connectionAttempt: .success)))
    }

    @Test func aReaderClockOffsetShowsInItsTimestamps() throws {
        var client = EmulatorClient(LLRPEmulatorScript(clockOffset: .seconds(-90)))
        let event = try client.connect().events.first
        #expect(event?.timestamp == .utc(microseconds: EmulatorClient.micros(client.now) - 90_000_000))
    }

    @Test func aReaderWithoutAClockCountsFromPowerOn() throws {
        var capabilities = LLRPEmulatorScript.impinjR700
        capabilities.hasUTCClock = false
        var client = EmulatorClient(LLRPEmulatorScript(capabilities: capabilities))
        #expect(try client.connect().events.first?.timestamp == .uptime(microseconds: 0))
        client.now = client.now + .milliseconds(3_250)
        #expect(try client.connect().events.first?.timestamp == .uptime(microseconds: 3_250_000))
    }

    @Test func capabilitiesAreTheScriptsWithTheRequestsID() throws {
        var client = EmulatorClient()
        _ = try client.connect()
        let answer = try client.send(.getReaderCapabilities, id: 4711)
        #expect(answer == [LLRPEnvelope(id: 4711, message: .getReaderCapabilitiesResponse(.success, LLRPEmulatorScript.impinjR700))])
        #expect(LLRPEmulatorScript.impinjR700.manufacturer == 25882)
        #expect(LLRPEmulatorScript.impinjR700.transmitPower.first == .init(index: 1, centiDBm: 1000))
        #expect(LLRPEmulatorScript.impinjR700.transmitPower.last == .init(index: 93, centiDBm: 3300))
    }

    @Test func theInventorySequenceSucceedsAndIsRemembered() throws {
        var client = EmulatorClient()
        _ = try client.connect()
        let steps: [(LLRPMessage, LLRPMessageType)] = [
            (.setReaderConfig(ReaderConfiguration(resetToFactoryDefault: true, keepaliveMilliseconds: 2000)), .setReaderConfig),
            (.impinjEnableExtensions, .customMessage),
            (.deleteROSpec(roSpecID: 0), .deleteROSpec),
            (.addROSpec(ROSpec(id: 3, antennas: [.init(id: 1, transmitPowerIndex: 81), .init(id: 2)])), .addROSpec),
            (.enableROSpec(roSpecID: 3), .enableROSpec),
            (.startROSpec(roSpecID: 3), .startROSpec),
        ]
        for (offset, (request, type)) in steps.enumerated() {
            let id = UInt32(100 + offset)
            #expect(try client.send(request, id: id) == [LLRPEnvelope(id: id, message: .response(to: type, .success))], "\(type)")
        }
        #expect(client.reader.keepalive == .seconds(2))
        #expect(client.reader.activeROSpec?.id == 3)
        #expect(try client.send(.stopROSpec(roSpecID: 3), id: 9) == [LLRPEnvelope(id: 9, message: .response(to: .stopROSpec, .success))])
        #expect(client.reader.activeROSpec == nil)
        // Neither has a response message.
        #expect(try client.send(.enableEventsAndReports, id: 10).isEmpty)
        #expect(try client.send(.keepaliveAck, id: 11).isEmpty)
    }

    @Test(arguments: [
        (ROSpec(id: 1, antennas: [.init(id: 5)]), LLRPStatusCode.parameterError, "antenna 5 does not exist"),
        (ROSpec(id: 1, antennas: [.init(id: 1, transmitPowerIndex: 94)]), .parameterError, "transmit power index 94"),
        (ROSpec(id: 1, antennas: [.init(id: 1, transmitPowerIndex: 0)]), .parameterError, "transmit power index 0"),
        (ROSpec(id: 0, antennas: [.init(id: 1)]), .fieldError, "ROSpecID 0"),
        (ROSpec(id: 1, antennas: []), .missingParameter, "no antenna"),
    ])
    func badROSpecsAreRejectedWithTheReadersStatus(spec: ROSpec, code: LLRPStatusCode, words: String) throws {
        var client = EmulatorClient()
        _ = try client.connect()
        let answer = try client.send(.addROSpec(spec), id: 20)
        guard case .response(to: .addROSpec, let status) = answer.first?.message else {
            Issue.record("no ADD_ROSPEC_RESPONSE: \(answer)")
            return
        }
        #expect(answer.first?.id == 20)
        #expect(status.code == code)
        #expect(status.errorDescription.contains(words), "\(status)")
        #expect(client.reader.activeROSpec == nil)
    }

    @Test func roSpecIDsMustBeKnownAndUniqueAndEnabledBeforeStarting() throws {
        var client = EmulatorClient()
        _ = try client.connect()
        func status(_ message: LLRPMessage, _ type: LLRPMessageType) throws -> LLRPStatusCode? {
            guard case .response(to: type, let status) = try client.send(message, id: 1).first?.message else { return nil }
            return status.code
        }
        #expect(try status(.addROSpec(ROSpec(id: 8, antennas: [.init(id: 0)])), .addROSpec) == .success)
        #expect(try status(.addROSpec(ROSpec(id: 8, antennas: [.init(id: 1)])), .addROSpec) == .fieldError)
        #expect(try status(.startROSpec(roSpecID: 8), .startROSpec) == .fieldError)
        #expect(try status(.enableROSpec(roSpecID: 9), .enableROSpec) == .fieldError)
        #expect(try status(.stopROSpec(roSpecID: 8), .stopROSpec) == .fieldError)
        #expect(try status(.deleteROSpec(roSpecID: 9), .deleteROSpec) == .fieldError)
        #expect(try status(.enableROSpec(roSpecID: 8), .enableROSpec) == .success)
        #expect(try status(.startROSpec(roSpecID: 8), .startROSpec) == .success)
        #expect(try status(.deleteROSpec(roSpecID: 8), .deleteROSpec) == .success)
        #expect(client.reader.activeROSpec == nil)
        // The reader holds one ROSpec, as an R700 does.
        #expect(try status(.addROSpec(ROSpec(id: 1, antennas: [.init(id: 1)])), .addROSpec) == .success)
        #expect(try status(.addROSpec(ROSpec(id: 2, antennas: [.init(id: 1)])), .addROSpec) == .deviceError)
    }

    @Test func closeConnectionIsAnsweredThenTheReaderHangsUp() throws {
        var client = EmulatorClient()
        _ = try client.connect()
        #expect(try client.send(.closeConnection, id: 77) == [LLRPEnvelope(id: 77, message: .response(to: .closeConnection, .success))])
        #expect(client.reader.closeRequested)
        #expect(try client.send(.getReaderCapabilities, id: 78).isEmpty)
        _ = try client.connect()
        #expect(!client.reader.closeRequested)
    }

    @Test func unknownMessagesGetAnUnsupportedMessageError() throws {
        var client = EmulatorClient()
        _ = try client.connect()
        // GET_READER_CONFIG (type 2), version 1, no body: a reader Tagway never asks for its config.
        let raw: [UInt8] = [0x04, 0x02, 0, 0, 0, 10, 0, 0, 0x01, 0x2C]
        let answer = try client.sendRaw(raw)
        #expect(answer.count == 1)
        #expect(answer.first?.id == 300)
        guard case .errorMessage(let status) = answer.first?.message else {
            Issue.record("not an ERROR_MESSAGE: \(answer)")
            return
        }
        #expect(status.code == .unsupportedMessage)
        // A reader-to-client message sent to the reader, and another vendor's extension.
        var zebra = LLRPEmulatorScript.impinjR700
        zebra.manufacturer = 161
        var other = EmulatorClient(LLRPEmulatorScript(capabilities: zebra))
        _ = try other.connect()
        for message in [LLRPMessage.keepalive, .impinjEnableExtensions] {
            guard case .errorMessage(let status) = try other.send(message, id: 5).first?.message else {
                Issue.record("\(message) was not refused")
                continue
            }
            #expect(status.code == .unsupportedMessage)
        }
    }

    @Test func requestsInAnyChunkingGetTheSameAnswers() throws {
        let requests: [LLRPMessage] = [
            .getReaderCapabilities, .setReaderConfig(ReaderConfiguration(keepaliveMilliseconds: 500)), .deleteROSpec(roSpecID: 0),
            .addROSpec(ROSpec(id: 1, antennas: [.init(id: 1)])), .enableROSpec(roSpecID: 1), .startROSpec(roSpecID: 1),
        ]
        let bytes = requests.enumerated().flatMap { LLRPCodec.encode($0.element, id: UInt32($0.offset + 1)) }
        var whole = EmulatorClient()
        _ = try whole.connect()
        let expected = try whole.sendRaw(bytes)
        #expect(expected.count == requests.count)
        for size in [1, 3, 7, 10, 64] {
            var chunked = EmulatorClient()
            _ = try chunked.connect()
            var answers: [LLRPEnvelope] = []
            for start in stride(from: 0, to: bytes.count, by: size) {
                answers += try chunked.sendRaw(Array(bytes[start..<min(start + size, bytes.count)]))
            }
            #expect(answers == expected, "chunks of \(size)")
        }
    }

    @Test func aStreamThatCannotBeFramedIsAnsweredWithAnErrorAndClosed() throws {
        var client = EmulatorClient()
        _ = try client.connect()
        // Version 7 in the header: no reader can frame what follows.
        let answer = try client.sendRaw([0x1C, 0x01, 0, 0, 0, 10, 0, 0, 0, 1])
        guard case .errorMessage = answer.first?.message else {
            Issue.record("no ERROR_MESSAGE: \(answer)")
            return
        }
        #expect(client.reader.closeRequested)
    }
}
