import Logging
import TagwayConfig
import TagwayDecoders
import TagwayModel
import TagwayProtocols
import TagwaySerial
import TagwayUSB

/// Keeps one serial reader connected and feeds its frames to the pipeline.
///
/// Open, read until the device goes away, reopen after a capped, jittered backoff; forever, until
/// cancelled. Reads are woken by the kernel (SerialPort's dispatch source); commanded readers get
/// their startup commands after every open and their poll command on a timer.
struct SerialReaderSession: Sendable {
    let reader: ReaderConfig
    let pipeline: Pipeline
    let health: HealthBoard
    let logger: Logger
    let clock: @Sendable () -> Timestamp
    /// udev announces the port coming back, so the reconnect need not wait out the backoff.
    var arrivals: UDevMonitor? = nil

    func run() async {
        guard let path = reader.port, let descriptor = ProtocolRegistry.descriptor(for: reader.profile.protocolID)?.serial,
              let decoder = try? descriptor.makeDecoder(reader.settings)
        else {
            logger.error("reader \(reader.id): no port or unknown protocol \(reader.profile.protocolID)")
            return
        }
        let polling = descriptor.polling(reader.settings)
        var assembler = FrameAssembler(decoder)
        var backoff = Backoff(initial: .milliseconds(250), maximum: .seconds(5))
        var rng = SystemRandomNumberGenerator()
        var reportedDrops: [DropReason: Int] = [:]
        let point = reader
        let readPoint: @Sendable (Int?) -> String = { point.readPoint(antenna: $0) }
        health.register(reader.id, path: path)
        let appearing = arrivals.map { PortArrivals(monitor: $0, path: path) }
        defer { appearing?.cancel() }

        while !Task.isCancelled {
            let port: SerialPort
            do {
                port = try SerialPort.open(path: path, settings: reader.serial ?? SerialSettings())
            } catch {
                health.update(reader.id) {
                    $0.connected = false
                    $0.lastError = error.description
                    $0.errors[error.kind, default: 0] += 1
                }
                let delay = backoff.next(using: &rng)
                if backoff.attempt == 1 { logger.warning("reader \(reader.id): \(error); retrying") }
                await pause(delay, appearing)
                continue
            }
            backoff.reset()
            let openedAt = clock()
            health.update(reader.id) {
                if $0.connectedSince != nil { $0.reconnects += 1 }
                $0.connected = true
                $0.connectedSince = openedAt
                $0.lastError = nil
            }
            logger.info("reader \(reader.id): connected on \(path) (\(port.settings))")
            var reportedPauses = 0
            let poller = polling.map { plan in Task { await Self.poll(port, plan: plan) } }

            do {
                for try await chunk in port.chunks {
                    let now = clock()
                    let frames = assembler.feed(chunk)
                    health.chunkReceived(reader.id, frames: frames.count, bytes: chunk.count, at: now)
                    if !frames.isEmpty {
                        await pipeline.ingest(reader: reader.id, readPoint: readPoint, frames: frames, time: now)
                    }
                    let pauses = port.chunks.pauses
                    if pauses != reportedPauses {
                        // The pipeline fell behind the port: visible, though no byte was discarded.
                        health.update(reader.id) { $0.errors["input-paused", default: 0] += pauses - reportedPauses }
                        reportedPauses = pauses
                    }
                    if assembler.drops != reportedDrops {
                        let (drops, events) = (assembler.drops, assembler.dropEvents)
                        health.update(reader.id) { h in
                            for (reason, count) in drops { h.errors[reason.rawValue] = count }
                            for (reason, count) in events { h.decodeDrops[reason.rawValue] = count }
                        }
                        reportedDrops = drops
                    }
                }
            } catch {
                let text = "\(error)"
                health.update(reader.id) {
                    $0.connected = false
                    $0.lastError = text
                    $0.errors[(error as? SerialError)?.kind ?? "io", default: 0] += 1
                }
                logger.warning("reader \(reader.id): \(text); will reconnect")
            }
            poller?.cancel()
            port.close()
            // Bytes of a frame cut by the disconnect cannot be completed by the next session.
            assembler.reset()
            health.update(reader.id) { $0.connected = false }
            if !Task.isCancelled { await pause(backoff.next(using: &rng), appearing) }
        }
    }

    /// The backoff between attempts, cut short when udev reports the port again.
    private func pause(_ delay: Duration, _ appearing: PortArrivals?) async {
        guard let appearing else {
            try? await Task.sleep(for: delay)
            return
        }
        if await appearing.wait(upTo: delay) { logger.info("reader \(reader.id): \(reader.port ?? "") appeared; opening it") }
    }

    private static func poll(_ port: SerialPort, plan: PollingPlan) async {
        do {
            for command in plan.startup {
                try port.write(command)
                try await Task.sleep(for: .milliseconds(20))
            }
            while !Task.isCancelled {
                try port.write(plan.poll)
                try await Task.sleep(for: plan.interval)
            }
        } catch {
            // The read loop sees the same disconnect and reports it.
        }
    }
}
