import TagwayDecoders
import TagwayLLRP
import TagwayModel

/// A fixed UHF reader (an Impinj R700 by default) as an LLRP client sees it, byte-exact through
/// `LLRPCodec`: it greets a connection with a ConnectionAttemptEvent, answers every request with
/// its response type and the request's message id, checks ROSpecs as a reader does, runs the
/// started ROSpec as one inventory round per `unsolicited` call, sends keepalives at the period
/// the client set, and misbehaves as its script says.
///
/// Pure: the socket shell (`LLRPEmulatorServer`) owns the connection and the clock.
public struct LLRPReaderEmulator: ConnectionEmulator {
    public let script: LLRPEmulatorScript
    public private(set) var closeRequested = false

    // The reader's life, across connections.
    private var poweredOnAt: Timestamp?
    /// Connections accepted so far, this one included.
    public private(set) var connections = 0
    public private(set) var antennasConnected: Set<UInt16>
    private var nextMessageID: UInt32 = 1

    // This connection.
    private var connectedAt = Timestamp(milliseconds: 0)
    private var framer = LLRPFramer()
    private var input = ByteWindow()
    private var roSpecs = LLRPROSpecTable()
    private var keepalivePeriod: Duration?
    private var nextKeepalive: Timestamp?
    private var antennaEventsEnabled = true
    private var extensionsEnabled = false
    private var reporter = LLRPTagReporter()
    /// RO_ACCESS_REPORTs sent on this connection.
    public private(set) var reportsSent = 0
    private var nextAntennaChange = 0
    private var stalled = false

    public init(script: LLRPEmulatorScript = LLRPEmulatorScript()) {
        self.script = script
        let ports = script.capabilities.maxAntennas
        antennasConnected = script.connectedAntennas ?? (ports == 0 ? [] : Set(1...ports))
    }

    /// The faults in force on this connection.
    private var faults: LLRPEmulatorScript.Faults {
        guard let limit = script.faultyConnections, connections > limit else { return script.faults }
        return .none
    }

    /// The ROSpec the reader is executing, if the client started one.
    public var activeROSpec: ROSpec? { roSpecs.active }
    /// The keepalive period the client asked for (nil: none).
    public var keepalive: Duration? { keepalivePeriod }

    public mutating func accepted(field: [FieldTag], now: Timestamp) -> [UInt8] {
        poweredOnAt = poweredOnAt ?? now
        connections = connections == .max ? .max : connections + 1
        closeRequested = false
        connectedAt = now
        framer = LLRPFramer()
        input = ByteWindow()
        roSpecs = LLRPROSpecTable()
        keepalivePeriod = nil
        nextKeepalive = nil
        antennaEventsEnabled = true
        extensionsEnabled = false
        reporter.reset()
        reportsSent = 0
        nextAntennaChange = 0
        stalled = false
        guard !faults.busy else {
            closeRequested = true
            return refusal(now: now)
        }
        let event = ReaderEventNotification(timestamp: readerTime(now), connectionAttempt: .success)
        return unsolicitedMessage(.readerEventNotification(event))
    }

    /// What a second client hears while one holds the reader, before the reader closes it. Changes
    /// nothing: the first client's connection goes on.
    public func refusal(now: Timestamp) -> [UInt8] {
        let event = ReaderEventNotification(timestamp: readerTime(now), connectionAttempt: .clientInitiatedConnectionExists)
        return LLRPCodec.encode(.readerEventNotification(event), id: 0)
    }

    public mutating func respond(to bytes: [UInt8], field: [FieldTag], now: Timestamp) -> [UInt8] {
        guard !closeRequested, !stalled, !isSilent(now) else { return [] }
        input.append(contentsOf: bytes)
        var out: [UInt8] = []
        while !closeRequested {
            let frame: LLRPFrame?
            do {
                frame = try framer.next(&input)
            } catch {
                // LLRP has no resync marker: a reader that cannot frame the stream says why and hangs up.
                out += LLRPCodec.encode(.errorMessage(LLRPStatus(code: .parameterError, errorDescription: "\(error)")), id: 0)
                closeRequested = true
                break
            }
            guard let frame else { break }
            out += answer(frame, now: now)
        }
        return out
    }

    public mutating func unsolicited(field: [FieldTag], now: Timestamp) -> [UInt8] {
        guard !closeRequested, !stalled else { return [] }
        if let after = faults.dropAfter, now - connectedAt >= after {
            closeRequested = true
            return []
        }
        guard !isSilent(now) else { return [] }
        var out = antennaEvents(now: now)
        if let period = keepalivePeriod, let due = nextKeepalive, now >= due {
            out += unsolicitedMessage(.keepalive)
            // One keepalive per period even after a long pause in ticks, as a reader's timer does.
            nextKeepalive = max(due + period, now)
        }
        if let spec = roSpecs.active { out += reports(spec, field: field, now: now) }
        return out
    }

    /// Plugs or unplugs an antenna's cable now; the AntennaEvent goes out with the next tick when
    /// the client has antenna events on.
    public mutating func setAntenna(_ id: UInt16, connected: Bool) {
        if connected { antennasConnected.insert(id) } else { antennasConnected.remove(id) }
        pendingAntennaEvents.append(.init(antennaID: id, connected: connected))
    }

    private var pendingAntennaEvents: [ReaderEventNotification.AntennaEvent] = []

    // MARK: requests

    private mutating func answer(_ frame: LLRPFrame, now: Timestamp) -> [UInt8] {
        let envelope: LLRPEnvelope
        do {
            envelope = try LLRPCodec.decode(frame)
        } catch {
            return reply(.errorMessage(LLRPStatus(code: .parameterError, errorDescription: "\(error)")), to: frame)
        }
        switch envelope.message {
        case .getReaderCapabilities:
            return reply(.getReaderCapabilitiesResponse(.success, script.capabilities), to: frame)
        case .setReaderConfig(let configuration):
            configure(configuration, now: now)
            return reply(.response(to: .setReaderConfig, .success), to: frame)
        case .deleteROSpec(let id):
            return reply(.response(to: .deleteROSpec, roSpecs.delete(id)), to: frame)
        case .addROSpec(let spec):
            let status = faults.rejectAddROSpec ?? roSpecs.add(spec, capabilities: script.capabilities)
            return reply(.response(to: .addROSpec, status), to: frame)
        case .enableROSpec(let id):
            return reply(.response(to: .enableROSpec, roSpecs.enable(id)), to: frame)
        case .startROSpec(let id):
            let status = roSpecs.start(id)
            if status.isSuccess { reporter.reset() }
            return reply(.response(to: .startROSpec, status), to: frame)
        case .stopROSpec(let id):
            return reply(.response(to: .stopROSpec, roSpecs.stop(id)), to: frame)
        case .enableEventsAndReports, .keepaliveAck:
            // Neither has a response message.
            return []
        case .closeConnection:
            closeRequested = true
            return reply(.response(to: .closeConnection, .success), to: frame)
        case .impinjEnableExtensions where script.capabilities.manufacturer == LLRPEmulatorScript.impinjPEN:
            extensionsEnabled = true
            return reply(.response(to: .customMessage, .success), to: frame)
        default:
            // What a reader says to a message it does not take (another vendor's custom message, a
            // reader-to-client message sent to it, a type it does not implement).
            let status = LLRPStatus(code: .unsupportedMessage, errorDescription: "\(frame.type) is not supported")
            return reply(.errorMessage(status), to: frame)
        }
    }

    private mutating func configure(_ configuration: ReaderConfiguration, now: Timestamp) {
        if configuration.resetToFactoryDefault {
            roSpecs = LLRPROSpecTable()
            keepalivePeriod = nil
            nextKeepalive = nil
            antennaEventsEnabled = true
        }
        if let milliseconds = configuration.keepaliveMilliseconds {
            keepalivePeriod = milliseconds == 0 ? nil : .milliseconds(Int64(milliseconds))
            nextKeepalive = keepalivePeriod.map { now + $0 }
        }
        if let antenna = configuration.events[.antenna] { antennaEventsEnabled = antenna }
    }

    private func reply(_ message: LLRPMessage, to frame: LLRPFrame) -> [UInt8] {
        LLRPCodec.encode(message, id: frame.id, version: frame.version)
    }

    // MARK: unsolicited messages

    private mutating func unsolicitedMessage(_ message: LLRPMessage) -> [UInt8] {
        let id = nextMessageID
        nextMessageID &+= 1
        return LLRPCodec.encode(message, id: id)
    }

    private mutating func antennaEvents(now: Timestamp) -> [UInt8] {
        while nextAntennaChange < script.antennaChanges.count,
              now - connectedAt >= script.antennaChanges[nextAntennaChange].after {
            let change = script.antennaChanges[nextAntennaChange]
            setAntenna(change.antennaID, connected: change.connected)
            nextAntennaChange += 1
        }
        guard !pendingAntennaEvents.isEmpty else { return [] }
        let events = pendingAntennaEvents
        pendingAntennaEvents = []
        guard antennaEventsEnabled else { return [] }
        return unsolicitedMessage(.readerEventNotification(ReaderEventNotification(timestamp: readerTime(now), antennaEvents: events)))
    }

    /// One round's RO_ACCESS_REPORTs, `reportEveryTags` tags each (0: the whole round in one); the
    /// end of the round flushes a last, shorter report, as the end of an AISpec does.
    private mutating func reports(_ spec: ROSpec, field: [FieldTag], now: Timestamp) -> [UInt8] {
        let start = poweredOnAt ?? now
        let clockOffset = script.clockOffset
        let utc = script.capabilities.hasUTCClock
        let tags = reporter.round(field: field, spec: spec, connected: antennasConnected, maxAntennas: script.capabilities.maxAntennas,
                                  now: now, inventoryRound: script.inventoryRound, impinjExtensions: extensionsEnabled) {
            Self.readerTime($0, poweredOnAt: start, offset: clockOffset, utc: utc)
        }
        guard !tags.isEmpty else { return [] }
        var groups: [[TagReport]]
        if let flood = faults.floodReportsPerCall {
            groups = Array(repeating: tags, count: max(1, flood))
        } else {
            let size = spec.reportEveryTags == 0 ? tags.count : Int(spec.reportEveryTags)
            groups = stride(from: 0, to: tags.count, by: size).map { Array(tags[$0..<min($0 + size, tags.count)]) }
        }
        var out: [UInt8] = []
        for group in groups {
            let bytes = unsolicitedMessage(.roAccessReport(group))
            if let stallAfter = faults.stallAfterReports, reportsSent >= stallAfter {
                out += bytes.prefix(bytes.count / 2)
                stalled = true
                return out
            }
            out += bytes
            reportsSent += 1
            if let dropAfter = faults.dropAfterReports, reportsSent >= dropAfter {
                closeRequested = true
                return out
            }
        }
        return out
    }

    // MARK: the reader's clock

    private func isSilent(_ now: Timestamp) -> Bool {
        guard let after = faults.silentAfter else { return false }
        return now - connectedAt >= after
    }

    /// The reader's time at gateway time `now`: UTC plus the script's offset, or its uptime.
    public func readerTime(_ now: Timestamp) -> LLRPTimestamp {
        Self.readerTime(now, poweredOnAt: poweredOnAt ?? now, offset: script.clockOffset, utc: script.capabilities.hasUTCClock)
    }

    static func readerTime(_ now: Timestamp, poweredOnAt: Timestamp, offset: Duration, utc: Bool) -> LLRPTimestamp {
        if utc {
            return .utc(microseconds: microseconds(now.milliseconds.saturatingAdd(offset.wholeMilliseconds)))
        }
        return .uptime(microseconds: microseconds((now - poweredOnAt).wholeMilliseconds))
    }

    private static func microseconds(_ milliseconds: Int64) -> UInt64 {
        let (micros, overflow) = milliseconds.multipliedReportingOverflow(by: 1000)
        if overflow { return milliseconds < 0 ? 0 : .max }
        return UInt64(clamping: micros)
    }
}
