import ArgumentParser
import Foundation
import TagwayCapture
import TagwayControl
import TagwaySimulator

/// `tagway simulate --replay FILE`: reads the capture and plays it as its transport allows (a
/// serial reader on a pty; an LLRP reader on a TCP port), printing where, as the simulator does.
struct CaptureReplayCommand {
    var file: String
    var speed: Double?
    var link: String?
    var listen: String?

    func run() async throws {
        let capture: Capture
        do {
            capture = try CaptureFile.read(file)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        let header = capture.header
        switch header.transport {
        case "serial":
            guard listen == nil else { throw ValidationError("--listen is for LLRP captures; \(file) is a serial reader's") }
            try playSerial(capture)
        case "llrp":
            try await playLLRP(capture)
        case "usb-hid":
            throw ValidationError("""
                \(file) is a USB HID reader's capture (reports, not bytes): it cannot be played on a pty or socket. \
                Run it through the pipeline with `tagway replay --config FILE \(file)` instead.
                """)
        default:
            throw ValidationError("\(file): unknown transport '\(header.transport)'; expected serial, llrp or usb-hid")
        }
    }

    private func playSerial(_ capture: Capture) throws {
        let header = capture.header
        let path = link ?? "/tmp/tagway-replay-" + header.reader.replacingOccurrences(of: "/", with: "-")
        let reader = try CaptureReplayReader(path: path, cues: CaptureCues.make(capture.records, speed: speed))
        reader.onPlayed = {
            print("replay of \(header.reader) played to its end; stop with Ctrl-C")
            fflush(nil)
        }
        let pace = speed.map { $0 == 1 ? "recorded timing" : "\($0)× speed" } ?? "as fast as possible"
        print("replaying \(header.reader) (\(header.profile ?? header.protocolID), \(header.line ?? "serial")) on \(path), \(pace); stop with Ctrl-C")
        fflush(nil)
        let watcher = SignalWatcher { _ in reader.stop() }
        reader.start()
        reader.wait()
        watcher.cancel()
    }

    private func playLLRP(_ capture: Capture) async throws {
        let (host, port) = try LLRPFaultOptions.address(listen ?? "127.0.0.1:5084")
        let server = try CaptureLLRPReplayServer(host: host, port: port, records: capture.records, speed: speed)
        print("replaying \(capture.header.reader) (LLRP) on \(server.host):\(server.port); stop with Ctrl-C")
        fflush(nil)
        let watcher = SignalWatcher { _ in server.stop() }
        server.start()
        server.wait()
        watcher.cancel()
    }
}
