import Testing

extension USBEmulation {
    @Suite("Hot-plug")
    struct Hotplug {
        /// Absent at start, plugged in, unplugged in the middle of a scan, plugged in again.
        @Test func readerArrivesLeavesMidScanAndComesBack() async throws {
            let run = try await Testbed.run([
                "device", "scanner", Testbed.device("zebra-ls2208"),
                "wait-output", "\"waiting\"",
                "plug", "scanner", "wait-reading", "scanner",
                "type", "scanner", "us", "BEFORE-UNPLUG\\n",
                "type", "scanner", "us", "HALF-A-SC",
                "wait-drained", "scanner", "unplug", "scanner",
                "wait-output", "\"disconnected\"",
                "plug", "scanner", "wait-reading", "scanner",
                "type", "scanner", "us", "AFTER-REPLUG\\n",
                "wait-output", "AFTER-REPLUG", "stop",
            ], probe: USBEmulation.watchZebra)
            #expect(run.exitCode == 0, "\(run.log)")
            #expect(run.eventNames == ["ready", "waiting", "connected", "scan", "disconnected", "connected", "scan", "stats"])
            #expect(run.scans == ["BEFORE-UNPLUG", "AFTER-REPLUG"], "the completed scan survives, the half one is dropped")
            #expect(run.events.first { $0.event == "disconnected" }?.kind == "no-device")
            #expect(run.statistics?.truncatedScans == 1)
            #expect(run.device("scanner")?.driverBound == true)
        }

        @Test func readerPresentAtStartIsOpenedAtOnce() async throws {
            let run = try await Testbed.run([
                "device", "scanner", Testbed.device("zebra-ls2208"), "plug", "scanner",
                "wait-output", "connected", "stop",
            ], probe: USBEmulation.watchZebra)
            #expect(run.eventNames == ["ready", "connected", "stats"])
        }
    }

    @Suite("udev")
    struct UDev {
        @Test func enumeratorListsUSBDevicesAndSerialPorts() async throws {
            let run = try await Testbed.run([
                "device", "scanner", Testbed.device("zebra-ls2208"), "plug", "scanner",
                "device", "rfid", Testbed.device("ftdi-id12la"), "plug", "rfid",
                "device", "pos", Testbed.device("honeywell-hidpos"), "plug", "pos",
            ], probe: ["list"])
            #expect(run.exitCode == 0, "\(run.log)")
            let usb = run.events.filter { $0.subsystem == "usb" }
            #expect(Set(usb.compactMap(\.device)) == ["05e0:1200", "0403:6001", "0c2e:0cd4"])
            #expect(usb.first { $0.device == "0c2e:0cd4" }?.hid == "0:hid-pos")
            #expect(usb.first { $0.device == "0403:6001" }?.hid == nil)
            let scanner = try #require(usb.first { $0.device == "05e0:1200" })
            #expect(scanner.devnode == "/dev/bus/usb/001/002")
            #expect(scanner.serial == "S0001")
            #expect(scanner.product == "Symbol Bar Code Scanner")
            #expect(scanner.hid == "0:keyboard", "read from sysfs, without opening the scanner")
            let tty = try #require(run.events.first { $0.subsystem == "tty" })
            #expect(tty.devnode == "/dev/ttyUSB0")
            #expect(tty.device == "0403:6001")
            #expect(tty.serial == "A10K3ZQ9")
            #expect(tty.product == "ID-12LA reader")
            #expect(tty.interface == 0)
            #expect(tty.usbSyspath?.hasSuffix("/usb1/1-4") == true)
        }

        @Test func monitorSeesASerialReaderArriveAndLeave() async throws {
            let run = try await Testbed.run([
                "device", "rfid", Testbed.device("ftdi-id12la"),
                "wait-output", "ready", "plug", "rfid",
                "wait-output", "ttyUSB0", "unplug", "rfid",
            ], probe: ["udev", "--count", "4"])
            #expect(run.exitCode == 0, "\(run.log)")
            let events = run.events.filter { $0.event == "udev" }
            try #require(events.count == 4, "\(run.log)")
            #expect(events.map { "\($0.action ?? "") \($0.subsystem ?? "")" } == ["add usb", "add tty", "remove tty", "remove usb"])
            #expect(events.allSatisfy { $0.device == "0403:6001" }, "removals still name the device")
            #expect(events[2].devnode == "/dev/ttyUSB0")
            #expect(events[1].serial == "A10K3ZQ9")
        }
    }
}
