import TagwayDecoders
import TagwayModel
import TagwaySessions

/// The gateway's half of an LLRP connection: wait for the reader's greeting, learn what it is,
/// configure it from scratch, start one continuous inventory, then turn its reports into reads
/// and watch that it stays alive. Pure: bytes and time come in, bytes to send, frames, health and
/// one deadline go out; the session machine owns the socket and the reconnects.
///
/// Each request is sent alone and its answer awaited (matched by type and message id), so a
/// refusal names the request that was refused.
public struct LLRPClientConversation: ReaderConversation {
    public let plan: LLRPPlan

    enum Phase: Sendable, Hashable {
        /// No connection yet, or the last one ended.
        case closed
        /// Connected; the reader speaks first (READER_EVENT_NOTIFICATION, ConnectionAttemptEvent).
        case awaitingGreeting
        /// A request is out and its answer awaited.
        case awaiting(Pending)
        /// START_ROSPEC was accepted: reports flow, keepalives are answered.
        case inventorying
        /// The connection failed; nothing more is read from it.
        case ended
    }

    struct Pending: Sendable, Hashable {
        var request: LLRPRequest
        var id: UInt32
    }

    var phase: Phase = .closed
    var framer = LLRPFramer()
    var window = ByteWindow()
    /// Message ids keep counting across connections, so no answer can be taken for another's.
    var lastID: UInt32 = 0
    var setup: LLRPPlan.ReaderSetup?
    var skew: ClockSkewEstimator
    var timeline = ReadTimeline()
    var connectedAntennas: Set<Int> = []
    var malformedNoticed = false
    /// RO_ACCESS_REPORTs since the gateway started (status turns two samples into a rate).
    var reports = 0
    var details = ReaderDetails()
    var published: ReaderDetails?
    var publishedAt: Timestamp?
    /// Whether the liveness deadline is armed. It is armed once and, when it passes, checked
    /// against the last time the reader was heard from, rather than re-armed for every chunk
    /// read: a busy reader's reports would otherwise cost a timer each.
    var livenessArmed = false

    public init(plan: LLRPPlan) {
        self.plan = plan
        skew = ClockSkewEstimator(maxSkew: plan.maxClockSkew)
    }

    public mutating func connected(at time: Timestamp) -> ConversationStep {
        phase = .awaitingGreeting
        framer = LLRPFramer()
        window = ByteWindow()
        setup = nil
        skew = ClockSkewEstimator(maxSkew: plan.maxClockSkew)
        connectedAntennas = []
        malformedNoticed = false
        // What the last reader said is forgotten (another may answer at this address); the report
        // total runs on, since status turns it into a rate.
        details = ReaderDetails(reports: reports == 0 ? nil : reports)
        published = nil
        publishedAt = nil
        livenessArmed = false
        return ConversationStep(deadline: .after(plan.responseTimeout))
    }

    public mutating func received(_ bytes: [UInt8], at time: Timestamp) -> ConversationStep {
        guard isReading else { return ConversationStep() }
        window.append(contentsOf: bytes)
        var step = ConversationStep()
        var reads: [TagObservation] = []
        var heard = false
        while isReading {
            let frame: LLRPFrame?
            do throws(LLRPError) {
                frame = try framer.next(&window)
            } catch {
                // The framer only fails on a header: without a resync marker the stream is lost.
                fail("framing", "\(error); the byte stream cannot be framed again, reconnecting", into: &step)
                break
            }
            guard let frame else { break }
            heard = true
            let envelope: LLRPEnvelope
            do throws(LLRPError) {
                envelope = try LLRPCodec.decode(frame)
            } catch {
                count("malformed-message", into: &step)
                if !malformedNoticed {
                    malformedNoticed = true
                    step.notices.append("skipped a malformed message from the reader (\(error)); further ones are only counted")
                }
                continue
            }
            handle(envelope, at: time, reads: &reads, into: &step)
        }
        if heard {
            details.lastHeardFrom = time
            if phase == .inventorying, !livenessArmed {
                livenessArmed = true
                step.deadline = .after(plan.livenessTimeout)
            }
        }
        if !reads.isEmpty { step.frames = timeline.order(reads, receivedAt: time).map(ReaderFrame.tag) }
        publishDetails(at: time, into: &step)
        return step
    }

    public mutating func deadlinePassed(at time: Timestamp) -> ConversationStep {
        var step = ConversationStep()
        switch phase {
        case .closed, .ended:
            break
        case .awaitingGreeting:
            fail("no-response", "the reader sent no READER_EVENT_NOTIFICATION within \(Self.describe(plan.responseTimeout)) "
                + "of the connection opening (is this port an LLRP reader's?)", into: &step)
        case .awaiting(let pending):
            fail("no-response", "no answer to \(pending.request.name) within \(Self.describe(plan.responseTimeout))", into: &step)
        case .inventorying:
            let silent = details.lastHeardFrom.map { time - $0 } ?? plan.livenessTimeout
            if silent < plan.livenessTimeout {
                // Heard from since the deadline was armed: wait out the rest of the period.
                step.deadline = .after(plan.livenessTimeout - silent)
                return step
            }
            fail("keepalive-timeout", "the reader sent nothing for \(Self.describe(plan.livenessTimeout)) "
                + "(3 keepalive periods of \(Self.describe(plan.keepalive))); taking it for dead and reconnecting", into: &step)
        }
        return step
    }

    public mutating func farewell() -> [[UInt8]] {
        guard phase != .closed else { return [] }
        phase = .closed
        return [LLRPCodec.encode(.closeConnection, id: nextID())]
    }

    var isReading: Bool {
        switch phase {
        case .closed, .ended: false
        case .awaitingGreeting, .awaiting, .inventorying: true
        }
    }

    mutating func nextID() -> UInt32 {
        lastID = lastID == UInt32.max ? 1 : lastID + 1
        return lastID
    }

    /// Ends the connection: the machine closes it, counts the failure as a conversation problem
    /// of its kind (so it is not counted here too) and reconnects after its backoff.
    mutating func fail(_ kind: String, _ description: String, into step: inout ConversationStep) {
        step.failure = SessionFailure(kind: kind, description: description)
        step.deadline = .cancel
        phase = .ended
    }

    func count(_ kind: String, into step: inout ConversationStep) {
        step.health.append(.count(.conversationProblems(kind: kind), by: 1))
    }

    static func describe(_ duration: Duration) -> String { ClockSkewEstimator.describe(duration) }
}
