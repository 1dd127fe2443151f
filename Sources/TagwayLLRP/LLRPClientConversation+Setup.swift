import TagwayModel
import TagwaySessions

/// The requests that configure a reader from scratch, in the order they are sent.
enum LLRPRequest: Sendable, Hashable, CaseIterable {
    case capabilities, impinjExtensions, readerConfig, deleteROSpecs, addROSpec, enableROSpec, startROSpec

    var type: LLRPMessageType {
        switch self {
        case .capabilities: .getReaderCapabilities
        case .impinjExtensions: .customMessage
        case .readerConfig: .setReaderConfig
        case .deleteROSpecs: .deleteROSpec
        case .addROSpec: .addROSpec
        case .enableROSpec: .enableROSpec
        case .startROSpec: .startROSpec
        }
    }

    var name: String {
        self == .impinjExtensions ? "IMPINJ_ENABLE_EXTENSIONS" : LLRPMessageType.names[type.rawValue] ?? "\(type)"
    }

    /// The failure kind of a refusal: the reader's configuration, or the inventory itself.
    var refusalKind: String {
        switch self {
        case .capabilities, .impinjExtensions, .readerConfig: "config-rejected"
        case .deleteROSpecs, .addROSpec, .enableROSpec, .startROSpec: "rospec-rejected"
        }
    }
}

extension LLRPClientConversation {
    /// The greeting: a ConnectionAttemptEvent saying whether this client may have the reader.
    mutating func greeted(_ attempt: ReaderEventNotification.ConnectionAttempt, into step: inout ConversationStep) {
        guard attempt == .success else {
            fail("reader-busy", "the reader refused the connection: \(Self.explain(attempt)) (ConnectionAttemptEvent status "
                + "\(attempt.rawValue)); an LLRP reader serves one client at a time, so close the other client (another "
                + "gateway, a vendor tool such as ItemTest, a reader web console session); Tagway retries after its backoff",
                into: &step)
            return
        }
        send(.capabilities, into: &step)
    }

    static func explain(_ attempt: ReaderEventNotification.ConnectionAttempt) -> String {
        switch attempt {
        case .success: "connected"
        case .readerInitiatedConnectionExists: "it already has a reader-initiated connection to another client"
        case .clientInitiatedConnectionExists: "another client is connected to it"
        case .failedOtherReason: "it gave no reason"
        case .anotherConnectionAttempted: "another client was connecting at the same time"
        }
    }

    mutating func send(_ request: LLRPRequest, into step: inout ConversationStep) {
        let id = nextID()
        step.send.append(LLRPCodec.encode(message(for: request), id: id))
        step.deadline = .after(plan.responseTimeout)
        phase = .awaiting(Pending(request: request, id: id))
    }

    func message(for request: LLRPRequest) -> LLRPMessage {
        switch request {
        case .capabilities: .getReaderCapabilities
        case .impinjExtensions: .impinjEnableExtensions
        case .readerConfig: .setReaderConfig(setup?.configuration ?? plan.readerConfiguration)
        case .deleteROSpecs: .deleteROSpec(roSpecID: 0)
        case .addROSpec: .addROSpec(setup?.roSpec ?? ROSpec(id: plan.rospecID, antennas: []))
        case .enableROSpec: .enableROSpec(roSpecID: plan.rospecID)
        case .startROSpec: .startROSpec(roSpecID: plan.rospecID)
        }
    }

    /// The answer `message` gives to `request`, if it is one: its status, and the capabilities
    /// when the request asked for them.
    static func answer(_ message: LLRPMessage, to request: LLRPRequest) -> (LLRPStatus, ReaderCapabilities?)? {
        switch message {
        case .getReaderCapabilitiesResponse(let status, let capabilities) where request == .capabilities:
            (status, capabilities)
        case .response(let type, let status) where type == request.type && request != .capabilities:
            (status, nil)
        default:
            nil
        }
    }

    /// A response arrived: the awaited one moves the setup on (or ends it when refused); any
    /// other is counted and skipped, and the deadline stays.
    mutating func responded(_ envelope: LLRPEnvelope, into step: inout ConversationStep) {
        guard case .awaiting(let pending) = phase, envelope.id == pending.id,
              let answer = Self.answer(envelope.message, to: pending.request)
        else {
            count("unexpected-message", into: &step)
            return
        }
        let (status, capabilities) = answer
        guard status.isSuccess else {
            fail(pending.request.refusalKind, "\(pending.request.name) refused: \(status)", into: &step)
            return
        }
        if pending.request == .capabilities {
            guard let capabilities else {
                fail("reader-config", "GET_READER_CAPABILITIES_RESPONSE carried no capabilities", into: &step)
                return
            }
            learned(capabilities, into: &step)
            return
        }
        guard let next = nextRequest(after: pending.request) else {
            phase = .inventorying
            return
        }
        send(next, into: &step)
    }

    /// An ERROR_MESSAGE naming the awaited request's id is its refusal (the reader could not
    /// even parse it); any other is the reader reporting a problem, counted and logged.
    mutating func readerError(_ status: LLRPStatus, id: UInt32, into step: inout ConversationStep) {
        if case .awaiting(let pending) = phase, pending.id == id {
            fail(pending.request.refusalKind, "\(pending.request.name) refused with ERROR_MESSAGE: \(status)", into: &step)
            return
        }
        count("error-message", into: &step)
        step.notices.append("the reader sent ERROR_MESSAGE: \(status)")
    }

    mutating func learned(_ capabilities: ReaderCapabilities, into step: inout ConversationStep) {
        details.model = ReaderModelNames.name(of: capabilities)
        details.firmware = capabilities.firmware
        details.antennaPorts = Int(capabilities.maxAntennas)
        let chosen: LLRPPlan.ReaderSetup
        do throws(LLRPPlan.Mismatch) {
            chosen = try plan.setup(for: capabilities)
        } catch {
            fail("reader-config", error.description, into: &step)
            return
        }
        setup = chosen
        step.notices += chosen.notices
        send(chosen.enableImpinjExtensions ? .impinjExtensions : .readerConfig, into: &step)
    }

    func nextRequest(after request: LLRPRequest) -> LLRPRequest? {
        switch request {
        case .capabilities: setup?.enableImpinjExtensions == true ? .impinjExtensions : .readerConfig
        case .impinjExtensions: .readerConfig
        case .readerConfig: .deleteROSpecs
        case .deleteROSpecs: .addROSpec
        case .addROSpec: .enableROSpec
        case .enableROSpec: .startROSpec
        case .startROSpec: nil
        }
    }
}
