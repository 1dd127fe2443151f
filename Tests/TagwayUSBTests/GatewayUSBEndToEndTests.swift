import Foundation
import Testing

extension USBEmulation {
    /// The whole gateway (`tagway run`) reading emulated USB readers through the real libusb,
    /// checked by what it wrote to its event log. A generous inter-key timeout (a reader setting
    /// over the profile's 50 ms) keeps a loaded machine from splitting a scan.
    @Suite("tagway run with USB HID readers")
    struct GatewayUSB {
        static let zebra = "{ id: desk-scan, profile: zebra/ls2208-keyboard, readPoint: helpdesk, settings: { interKeyTimeoutMs: 5000 } }"

        @Test func usLayoutScansBecomeObservedEvents() async throws {
            let gateway = try GatewayUnderTestbed(readers: [Self.zebra])
            defer { gateway.remove() }
            let run = try await gateway.run([
                "device", "scanner", Testbed.device("zebra-ls2208"), "plug", "scanner",
                "wait-reading", "scanner",
                "type", "scanner", "us", "0123456789012\\n",
                "type", "scanner", "us", "Abc-42/x.Y_Z ~!\\n",
                "wait-output", "Abc-42", "stop",
            ])
            #expect(run.exitCode == 0, "\(run.output)")
            let events = try gateway.observed()
            #expect(events.map(\.asset.key) == ["barcode:0123456789012", "barcode:Abc-42/x.Y_Z ~!"])
            #expect(events.allSatisfy { $0.reader == "desk-scan" && $0.readPoint == "helpdesk" })
            #expect(run.device("scanner")?.driverBound == true, "the keyboard driver is given back at stop")
        }

        @Test func germanLayoutAndAGS1DataMatrixWithItsSymbology() async throws {
            let reader = "{ id: desk-scan, profile: zebra/ls2208-keyboard, readPoint: helpdesk, "
                + "settings: { keymap: de, symbologyPrefix: true, interKeyTimeoutMs: 5000 } }"
            let gateway = try GatewayUnderTestbed(readers: [reader])
            defer { gateway.remove() }
            let run = try await gateway.run([
                "device", "scanner", Testbed.device("zebra-ls2208"), "plug", "scanner",
                "wait-reading", "scanner",
                "type", "scanner", "de", "]C0Zebra-42/Äpfel @ß#y^1\\n",
                "type", "scanner", "de", "]d2\\0350104012345678901\\n",
                "wait-output", "04012345678901", "stop",
            ])
            #expect(run.exitCode == 0, "\(run.output)")
            let events = try gateway.observed()
            // Asset keys escape bytes outside ASCII: Ä and ß arrived as their UTF-8 bytes.
            #expect(events.map(\.asset.key) == ["barcode:Zebra-42/\\xC3\\x84pfel @\\xC3\\x9F#y^1", "gs1:(01)04012345678901"])
            #expect(events.map(\.symbology) == ["]C0", "]d2"])
        }

        @Test func hidPOSLongScanInSeveralReports() async throws {
            let gateway = try GatewayUnderTestbed(readers: ["{ id: dock-scan, profile: honeywell/xenon-1900-hidpos, readPoint: dock }"])
            defer { gateway.remove() }
            let long = String((0..<150).map { Character(Unicode.Scalar(UInt8(0x41 + $0 % 26))) })
            let run = try await gateway.run([
                "device", "scanner", Testbed.device("honeywell-hidpos"), "plug", "scanner",
                "wait-reading", "scanner",
                "pos", "scanner", "]Q1", long,
                "wait-output", "\"dock-scan\"", "stop",
            ])
            #expect(run.exitCode == 0, "\(run.output)")
            let events = try gateway.observed()
            #expect(events.map(\.asset.key) == ["barcode:" + long], "150 bytes in three reports are one scan")
            #expect(events.first?.symbology == "]Q1")
            #expect(run.device("scanner")?.reportsDelivered == 3)
        }

        /// Absent at start, plugged in, unplugged in the middle of a scan, plugged in again.
        @Test func readerArrivesLeavesMidScanAndResumes() async throws {
            let gateway = try GatewayUnderTestbed(readers: [Self.zebra])
            defer { gateway.remove() }
            let run = try await gateway.run([
                "device", "scanner", Testbed.device("zebra-ls2208"),
                "wait-output", "reader desk-scan: waiting for 05e0:1200",
                "plug", "scanner", "wait-reading", "scanner",
                "type", "scanner", "us", "BEFORE-UNPLUG\\n",
                "type", "scanner", "us", "HALF-A-SC",
                "wait-drained", "scanner", "unplug", "scanner",
                "wait-output", "reader desk-scan: disconnected",
                "plug", "scanner", "wait-reading", "scanner",
                "type", "scanner", "us", "AFTER-REPLUG\\n",
                "wait-output", "barcode:AFTER-REPLUG", "stop",
            ])
            #expect(run.exitCode == 0, "\(run.output)")
            let events = try gateway.observed()
            #expect(events.map(\.asset.key) == ["barcode:BEFORE-UNPLUG", "barcode:AFTER-REPLUG"],
                    "the completed scan is kept, the cut one dropped")
            let health = try #require(try gateway.readerStatus("desk-scan"))
            #expect(health["reconnects"] as? Int == 1)
            let errors = health["errors"] as? [String: Int]
            #expect(errors?["no-device"] == 1)
            #expect(errors?["truncated-scan"] == 1)
            #expect(run.output.contains("connected 05e0:1200"), "\(run.output)")
        }

        @Test func aKnownReaderPluggedInUnconfiguredIsReported() async throws {
            let gateway = try GatewayUnderTestbed(readers: [Self.zebra])
            defer { gateway.remove() }
            let run = try await gateway.run([
                "device", "scanner", Testbed.device("zebra-ls2208"), "plug", "scanner",
                "device", "pos", Testbed.device("honeywell-hidpos"),
                "wait-reading", "scanner", "plug", "pos",
                "wait-output", "unconfigured honeywell/xenon-1900-hidpos at /dev/bus/usb/001/003", "stop",
            ])
            #expect(run.exitCode == 0, "\(run.output)")
            #expect(run.output.contains("profile: honeywell/xenon-1900-hidpos, usb: { serial: \"18040B4E12\" }"), "\(run.output)")
            #expect(!run.output.contains("unconfigured zebra/"), "the configured scanner is not reported")
            #expect(run.device("pos")?.detaches == 0, "an unconfigured reader is left alone")
        }

        /// A keyboard-wedge EM4100 reader typing the whole id in hex gives the card's `em4100:`
        /// key (the serial readers' key) and, being a tag, arrives at the read point like one read
        /// by a serial badge reader; anything else stays a barcode scan.
        @Test func em4100KeyboardReaderCardsBecomeTags() async throws {
            let reader = "{ id: badge, profile: generic/rfid-keyboard-ffff-0035, readPoint: entrance, settings: { interKeyTimeoutMs: 5000 } }"
            let gateway = try GatewayUnderTestbed(readers: [reader])
            defer { gateway.remove() }
            let run = try await gateway.run([
                "device", "reader", Testbed.device("rfid-keyboard"), "plug", "reader",
                "wait-reading", "reader",
                "type", "reader", "us", "0100e2850e\\n",
                "type", "reader", "us", "6713506\\n",
                "wait-output", "barcode:6713506", "stop",
            ])
            #expect(run.exitCode == 0, "\(run.output)")
            // (A `departed` follows the arrival after debounce.departAfter, if the run lasts that long.)
            let events = try gateway.events().filter { $0.type != .departed }
            #expect(events.map { "\($0.type) \($0.asset.key)" } == ["arrived em4100:0100E2850E", "observed barcode:6713506"])
            #expect(events.first?.reader == "badge")
        }
    }
}
