import Synchronization
import TagwayConfig
import TagwayDecoders
import TagwayProbe
import TagwayProtocols
import TagwayRuntime
import TagwaySerial

/// The termios shell of `ProbeMachine`: opens the port with each setting the machine names,
/// writes only the queries it returns, and hands it what the port said when each wait ends.
struct SerialProbe {
    let path: String
    var clock = GatewayClock.system

    /// What the port said since the last wait ended; filled by the port's reader task.
    private final class Heard: Sendable {
        let bytes = Mutex<[UInt8]>([])

        func append(_ chunk: [UInt8]) {
            bytes.withLock { $0 += chunk.prefix(max(0, ProbeEvidence.maximumBytes - $0.count)) }
        }

        func take() -> [UInt8] { bytes.withLock { b in defer { b = [] }; return b } }
    }

    func run(_ machine: inout ProbeMachine) async -> ProbeOutcome {
        var pending = machine.start()
        var port: SerialPort?
        var reader: Task<Void, Never>?
        let heard = Heard()
        defer { port?.close() }
        while !pending.isEmpty {
            switch pending.removeFirst() {
            case .open(let settings):
                do {
                    let opened = try SerialPort.open(path: path, settings: settings)
                    port = opened
                    reader = Task {
                        do {
                            for try await chunk in opened.chunks { heard.append(chunk) }
                        } catch {
                            // The port went away: what was heard stays; the waits run out in silence.
                        }
                    }
                    pending += machine.handle(.opened)
                } catch {
                    pending += machine.handle(.openFailed(error.description))
                }
            case .write(let bytes):
                // A failed write is a question never heard: the answer window runs out in silence.
                try? port?.write(bytes)
            case .wait(let duration):
                _ = await clock.sleep(for: duration)
                let bytes = heard.take()
                if !bytes.isEmpty { pending += machine.handle(.bytes(bytes)) }
                pending += machine.handle(.timerFired)
            case .close:
                port?.close()
                await reader?.value
                port = nil
                _ = heard.take()
            case .finished(let outcome):
                return outcome
            }
        }
        return ProbeOutcome(matches: [], attempts: [], failure: "the probe ended without a result")
    }

    /// Every serial profile whose protocol Tagway speaks, in the profiles' order by id.
    static func candidates(_ profiles: [DeviceProfile]) -> [ProbeCandidate] {
        profiles.sorted { $0.id < $1.id }.compactMap { profile in
            guard profile.transport == .serial, let serial = profile.serial,
                  let driver = ProtocolRegistry.descriptor(for: profile.protocolID)?.serial,
                  let decoder = try? driver.makeDecoder(profile.settings)
            else { return nil }
            // Decoders are values: each judgement starts from a copy of this fresh one.
            return ProbeCandidate(profileID: profile.id, protocolID: profile.protocolID, serial: serial,
                                  query: driver.probeQuery, makeDecoder: { decoder })
        }
    }
}
