import Dispatch
import Glibc
import TagwayUSB

/// tagway-usb-probe: a small client of TagwayUSB for the tests. Run under the USB testbed, it
/// reads an emulated reader with the real libusb and libudev and prints what it sees as JSON
/// lines: `watch` keeps one reader session until SIGTERM, `list` prints the attached devices,
/// `udev` prints hot-plug events.
@main
struct Probe {
    static func main() async {
        let options: ProbeOptions
        do {
            options = try ProbeOptions(Array(CommandLine.arguments.dropFirst()))
        } catch {
            let message = "\(error)\n"
            _ = message.withCString { write(2, $0, strlen($0)) }
            exit(2)
        }
        do {
            switch options.command {
            case .list:
                for device in try UDevEnumerator.devices() { ProbeOutput.device("device", device) }
            case .udev:
                try await watchUDev(count: options.count)
            case .watch:
                try await watch(options)
            }
        } catch {
            ProbeOutput.event("error") { $0.string("error", "\(error)") }
            exit(1)
        }
    }

    static func watchUDev(count: Int) async throws {
        let monitor = try UDevMonitor()
        let events = monitor.subscribe()
        ProbeOutput.event("ready")
        var seen = 0
        for await event in events {
            ProbeOutput.device("udev", event.device, action: event.action.rawValue)
            seen += 1
            if seen >= count { break }
        }
        monitor.stop()
    }

    static func watch(_ options: ProbeOptions) async throws {
        let context = try USBContext()
        let monitor = try UDevMonitor()
        let session = HIDReaderSession(configuration: options.configuration, context: context, monitor: monitor)
        let events = session.start()
        let stop = Task { [session] in
            await terminationRequested()
            await session.stop()
        }
        ProbeOutput.event("ready")
        for await event in events { ProbeOutput.session(event) }
        stop.cancel()
        ProbeOutput.statistics(session.statistics)
        monitor.stop()
    }

    /// Returns when SIGTERM or SIGINT arrives.
    static func terminationRequested() async {
        let (signals, continuation) = AsyncStream.makeStream(of: Int32.self)
        var sources: [DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            sources.append(source)
        }
        for await _ in signals { break }
        for source in sources { source.cancel() }
    }
}
