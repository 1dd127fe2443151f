import Foundation
import Testing
import TagwayCapture
import TagwayEventLog
import TagwayModel

extension USBEmulation {
    /// `tagway run --capture` with an emulated USB HID scanner: one `hid` record per report, with
    /// the connection's `open` and `close`, in a file that reads back.
    ///
    /// `TAGWAY_REGENERATE_CAPTURE_FIXTURES=1` also copies the capture to
    /// Tests/TagwayEndToEndTests/Fixtures/hid-keyboard.tcap (with the events, as for the serial ones).
    @Suite("tagway run --capture with a USB HID reader")
    struct HIDCapture {
        @Test func everyReportIsRecordedWholeWithTheConnection() async throws {
            let reader = "{ id: desk-scan, profile: zebra/ls2208-keyboard, readPoint: helpdesk, settings: { interKeyTimeoutMs: 5000 } }"
            let gateway = try GatewayUnderTestbed(readers: [reader])
            defer { gateway.remove() }
            let captureDir = gateway.directory + "/capture"
            let run = try await Testbed.run([
                "device", "scanner", Testbed.device("zebra-ls2208"), "plug", "scanner",
                "wait-reading", "scanner",
                "type", "scanner", "us", "0123456789012\\n",
                "wait-output", "0123456789012", "stop",
            ], command: ["/bin/sh", "-c", "exec \"$0\" \"$@\" 2>&1", GatewayUnderTestbed.tagway, "run", "--config", gateway.configFile,
                         "--print-events", "--capture", captureDir])
            #expect(run.exitCode == 0, "\(run.output)")
            let events = try gateway.observed()
            #expect(events.map(\.asset.key) == ["barcode:0123456789012"])
            let files = try FileManager.default.contentsOfDirectory(atPath: captureDir)
            #expect(files.count == 1 && files.first?.hasPrefix("desk-scan-") == true, "\(files)")
            let file = captureDir + "/" + (files.first ?? "none")
            let capture = try CaptureFile.read(file)
            #expect(capture.header.reader == "desk-scan")
            #expect(capture.header.transport == "usb-hid")
            #expect(capture.header.protocolID == "hid-keyboard")
            #expect(capture.records.first?.kind == .open)
            #expect(capture.records.last?.kind == .close)
            let reports = capture.records.filter { $0.kind == .hid }
            // Boot keyboard reports, 8 bytes each: a press and a release per character (13 digits
            // and Enter), but for Enter's release, which may come after the scan's event and so
            // after the testbed's `stop` (a CI run caught 27).
            #expect(reports.count >= 27, "\(reports.count)")
            #expect(reports.allSatisfy { $0.payload.count == 8 })
            // The keys pressed, in order, are the scan's: usage 0x27 is 0, 0x1E…0x26 are 1…9, 0x28 Enter.
            let pressed = reports.compactMap { $0.payload[2] == 0 ? nil : $0.payload[2] }
            let expected: [UInt8] = [0x27, 0x1E, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x1E, 0x1F, 0x28]
            #expect(pressed == expected)
            // The capture replayed offline with the live run's configuration makes the live run's
            // events (issue 18: capture then replay gives the live events, a HID reader included).
            let replayed = try Self.replay(file, config: gateway.configFile, into: gateway.directory + "/replayed")
            #expect(replayed.map(Self.essence) == events.map(Self.essence))
            if ProcessInfo.processInfo.environment["TAGWAY_REGENERATE_CAPTURE_FIXTURES"] == "1" {
                let fixtures = GatewayUnderTestbed.repositoryDevices + "/../Tests/TagwayEndToEndTests/Fixtures/"
                _ = try? FileManager.default.removeItem(atPath: fixtures + "hid-keyboard.tcap")
                try FileManager.default.copyItem(atPath: file, toPath: fixtures + "hid-keyboard.tcap")
                let lines = events.map(Self.essence)
                try (lines.joined(separator: "\n") + "\n").write(toFile: fixtures + "hid-keyboard.events", atomically: true, encoding: .utf8)
            }
        }
        /// What a replay must reproduce of a live event: not its id or the gateway's clock.
        static func essence(_ event: MovementEvent) -> String {
            "\(event.type.rawValue) \(event.asset.key) \(event.from ?? "-")>\(event.to ?? "-") \(event.readPoint ?? "-") \(event.symbology ?? "")"
        }

        /// `tagway replay --config config --log dir file`: the events it logged.
        static func replay(_ file: String, config: String, into dir: String) throws -> [MovementEvent] {
            let replay = Process()
            replay.executableURL = URL(fileURLWithPath: GatewayUnderTestbed.tagway)
            replay.arguments = ["replay", "--config", config, "--log", dir, file]
            let errors = Pipe()
            replay.standardOutput = FileHandle.nullDevice
            replay.standardError = errors
            try replay.run()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            replay.waitUntilExit()
            #expect(replay.terminationStatus == 0, "\(stderr)")
            return try EventLog.openExisting(directory: dir).events(after: 0, limit: 1000)
        }
    }
}
