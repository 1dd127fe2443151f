import TagwayCapture
import TagwayConfig
import TagwayDecoders
import TagwayHID
import TagwayModel
import TagwayProtocols
import TagwaySessions

/// One capture's reader, replayed: the same `ReaderSessionMachine` a live session runs, made
/// from the configured reader's profile and settings the way the live shells make it, fed the
/// capture's records as the inputs a shell would have reported, on the capture's clock.
///
/// The shell part is trivial on purpose: `open` waits for the capture's next `open` record (or
/// its first input), sends go nowhere (the capture holds what the reader answered), timers are
/// kept as due times the replay fires between records, and emitted frames are handed back.
struct ReplayReader {
    let config: ReaderConfig
    private var machine: ReaderSessionMachine<SplitMix64>
    /// The HID decoder a live session would get from the report descriptor (which a capture does not hold).
    private let reportDecoder: HIDReportDecoder?
    private var started = false
    /// The open the machine asked for and the capture has not yet answered.
    private var pendingOpen: ConnectionID?
    private var connection: ConnectionID?
    private var timers: [TimerPurpose: (due: Timestamp, token: TimerToken)] = [:]
    var tally = ReplayTally()

    /// Frames to hand to the pipeline, in order, with their time.
    typealias Emission = (frames: [ReaderFrame], time: Timestamp)

    init(config: ReaderConfig, capture: String) throws(ReplayError) {
        self.config = config
        let id = config.profile.protocolID
        guard let descriptor = ProtocolRegistry.descriptor(for: id) else {
            throw .readerSetup(capture: capture, reader: config.id, message: "protocol \(id) is not one this Tagway knows")
        }
        let decoding: ReaderSessionPlan.Decoding
        var polling: PollingPlan?
        var decoder: HIDReportDecoder?
        do {
            switch descriptor.driver {
            case .serialBytes(let serial):
                decoding = .byteStream(FrameAssembler(try serial.makeDecoder(config.settings)))
                polling = serial.polling(config.settings)
            case .hidReports(let hid):
                decoding = .reports
                decoder = try Self.reportDecoder(hid.makeDecoding(config.settings))
            case .llrpMessages(let driver):
                let context = ConversationContext(antennas: config.antennas.keys.sorted(), transmitPowerDBm: config.antennaPower)
                decoding = .conversation(try driver.makeConversation(config.settings, context))
            }
        } catch {
            throw .readerSetup(capture: capture, reader: config.id, message: "\(error)")
        }
        reportDecoder = decoder
        let plan = ReaderSessionPlan(decoding: decoding, polling: polling, technology: config.profile.technology)
        // The backoff's jitter only decides when a timer the capture overrides would fire; seeded
        // so that even that is the same on every run.
        machine = ReaderSessionMachine(plan: plan, random: SplitMix64(seed: 0x7EA1_AB1E))
    }

    /// A capture does not hold the reader's report descriptor, which decides a live session's
    /// decoder: a keyboard reads as one, and a HID POS scanner is taken to have the common
    /// Honeywell report layout.
    private static func reportDecoder(_ decoding: HIDDecoding) -> HIDReportDecoder? {
        switch decoding {
        case .keyboard, .automatic: decoding.decoder(for: .keyboard)
        case .pointOfSale: decoding.decoder(for: .pointOfSaleScanner(.honeywell))
        }
    }

    /// The earliest timer due, if any.
    func nextTimer(only purposes: Set<TimerPurpose>? = nil) -> Timestamp? {
        var earliest: Timestamp?
        for (purpose, timer) in timers where purposes?.contains(purpose) ?? true {
            if earliest.map({ timer.due < $0 }) ?? true { earliest = timer.due }
        }
        return earliest
    }

    /// Fires the earliest timer due at or before `time`; nil when none is.
    mutating func fireTimer(through time: Timestamp, only purposes: Set<TimerPurpose>? = nil) -> [Emission]? {
        let due = timers.filter { purposes?.contains($0.key) ?? true }.min { $0.value.due < $1.value.due }
        guard let (purpose, timer) = due, timer.due <= time else { return nil }
        timers[purpose] = nil
        return handle(.timerFired(timer.token, at: timer.due), at: timer.due)
    }

    /// One record as the inputs a live shell would have reported.
    mutating func take(_ record: CaptureRecord) -> [Emission] {
        tally.records += 1
        let time = record.time
        var out: [Emission] = []
        switch record.kind {
        case .open:
            if let open = connection { out += handle(.unplugged(open, nil, at: time), at: time) }
            out += openConnection(at: time)
        case .close:
            if let open = connection { out += handle(.unplugged(open, nil, at: time), at: time) }
        case .rx, .llrp:
            guard config.profile.transport != .usbHID else { return ignore(record) }
            if connection == nil { out += openConnection(at: time) }
            guard let open = connection else { return out + ignore(record) }
            out += handle(.bytes(open, record.payload, at: time), at: time)
        case .hid:
            guard config.profile.transport == .usbHID else { return ignore(record) }
            if connection == nil { out += openConnection(at: time) }
            guard let open = connection else { return out + ignore(record) }
            out += handle(.report(open, record.payload, at: time), at: time)
        case .tx:
            // What the gateway said: the machine says it again, and the capture holds the answers.
            tally.sent += 1
        }
        return out
    }

    private mutating func ignore(_ record: CaptureRecord) -> [Emission] {
        tally.ignored += 1
        return []
    }

    /// A connection opens at `time`: the machine is asked to open now if it was waiting (a
    /// backoff, a device announcement), as udev's announcement cuts a live wait short.
    private mutating func openConnection(at time: Timestamp) -> [Emission] {
        var out: [Emission] = []
        if !started {
            started = true
            out += handle(.start(at: time), at: time)
        }
        if pendingOpen == nil { out += handle(.deviceAdded, at: time) }
        guard let id = pendingOpen else { return out }
        pendingOpen = nil
        connection = id
        return out + handle(.opened(id, at: time, path: nil, reportDecoder: reportDecoder), at: time)
    }

    /// Runs one input and executes its actions as the replay's shell, at `time` on the capture's clock.
    private mutating func handle(_ input: ReaderSessionInput, at time: Timestamp) -> [Emission] {
        var out: [Emission] = []
        for action in machine.handle(input) {
            switch action {
            case .open(let id):
                pendingOpen = id
            case .close(let id):
                if connection == id { connection = nil }
                timers[.command] = nil
                timers[.conversation] = nil
            case .send:
                break
            case .armTimer(let token, let delay):
                timers[token.purpose] = (time + delay, token)
            case .emit(let frames, let at):
                out.append((frames, at))
                tally.count(frames)
            case .health(let change):
                tally.apply(change)
            case .notice(let text):
                tally.notices.append(text)
            }
        }
        return out
    }
}
