import Testing

extension USBEmulation {
    @Suite("Keyboard-wedge scanner")
    struct KeyboardWedge {
        @Test func usLayoutScansAndKernelDriverIsGivenBack() async throws {
            let run = try await Testbed.run([
                "device", "scanner", Testbed.device("zebra-ls2208"), "plug", "scanner",
                "wait-reading", "scanner",
                "type", "scanner", "us", "0123456789012\\n",
                "report", "scanner", "0000010101010101",           // a rollover report between scans
                "type", "scanner", "us", "Abc-42/x.Y_Z ~!\\n",
                "wait-output", "Abc-42", "stop",
            ], probe: USBEmulation.watchZebra + ["--keymap", "us"])
            #expect(run.exitCode == 0, "\(run.log)")
            #expect(run.scans == ["0123456789012", "Abc-42/x.Y_Z ~!"])
            let connected = try #require(run.events.first { $0.event == "connected" })
            #expect(connected.serial == "S0001")
            #expect(connected.path == "/dev/bus/usb/001/002")
            #expect(connected.kind == "keyboard")
            #expect(connected.kernelDriverWasActive == true)
            #expect(run.statistics?.errorReports == 1)
            let device = try #require(run.device("scanner"))
            #expect(device.detaches == 1, "usbhid was detached so scans are not typed into a console")
            #expect(device.attaches == 1)
            #expect(device.driverBound == true, "usbhid is bound again after the probe exits")
        }

        @Test func germanLayoutWithAltGrDeadKeysAndGroupSeparator() async throws {
            let run = try await Testbed.run([
                "device", "scanner", Testbed.device("zebra-ls2208"), "plug", "scanner",
                "wait-reading", "scanner",
                "type", "scanner", "de", "Zebra-42/Äpfel @ß#y^1\\n",
                "type", "scanner", "de", "]d2\\0350104012345678901\\n",
                "wait-output", "]d2", "stop",
            ], probe: USBEmulation.watchZebra + ["--keymap", "de"])
            #expect(run.exitCode == 0, "\(run.log)")
            #expect(run.scans == ["Zebra-42/Äpfel @ß#y^1", "]d2\u{1D}0104012345678901"])
        }

        @Test func frenchLayout() async throws {
            let run = try await Testbed.run([
                "device", "scanner", Testbed.device("zebra-ls2208"), "plug", "scanner",
                "wait-reading", "scanner",
                "type", "scanner", "fr", "AZERTY-123 @ 4/5 m,w\\n",
                "wait-output", "scan", "stop",
            ], probe: USBEmulation.watchZebra + ["--keymap", "fr"])
            #expect(run.scans == ["AZERTY-123 @ 4/5 m,w"])
        }

        @Test func theWrongKeymapGarblesScans() async throws {
            let run = try await Testbed.run([
                "device", "scanner", Testbed.device("zebra-ls2208"), "plug", "scanner",
                "wait-reading", "scanner", "type", "scanner", "de", "Zebra-42\\n",
                "wait-output", "scan", "stop",
            ], probe: USBEmulation.watchZebra + ["--keymap", "us"])
            #expect(run.scans == ["Yebra/42"], "Z and Y swap, and German - is the US / key")
        }

        @Test func serialNumberPicksOneOfTwoIdenticalScanners() async throws {
            let run = try await Testbed.run([
                "device", "first", Testbed.device("zebra-ls2208"), "plug", "first",
                "device", "second", Testbed.device("zebra-ls2208-second"), "plug", "second",
                "wait-reading", "second",
                "type", "first", "us", "FIRST\\n", "type", "second", "us", "SECOND\\n",
                "wait-output", "SECOND", "stop",
            ], probe: USBEmulation.watchZebra + ["--serial", "S0002"])
            #expect(run.scans == ["SECOND"])
            #expect(run.events.first { $0.event == "connected" }?.serial == "S0002")
            #expect(run.device("first")?.detaches == 0)
            #expect(run.device("first")?.undelivered == 12, "nobody read the other scanner")
        }

        @Test func rfidKeyboardReaderTypesTheCardNumber() async throws {
            let run = try await Testbed.run([
                "device", "reader", Testbed.device("rfid-keyboard"), "plug", "reader",
                "wait-reading", "reader", "type", "reader", "us", "0006713506\\n",
                "wait-output", "scan", "stop",
            ], probe: ["watch", "--vid", "ffff", "--pid", "0035", "--decoder", "keyboard", "--timeout-ms", "5000"])
            #expect(run.scans == ["0006713506"])
        }

        @Test func aKeyboardIsNotReadAsAPOSScanner() async throws {
            let run = try await Testbed.run([
                "device", "scanner", Testbed.device("zebra-ls2208"), "plug", "scanner",
                "wait-output", "open-failed", "stop",
            ], probe: USBEmulation.watchZebra + ["--decoder", "pos"])
            let failure = try #require(run.events.first { $0.event == "open-failed" })
            #expect(failure.kind == "unsupported-interface")
            #expect(run.device("scanner")?.driverBound == true, "the interface was given back")
        }
    }
}
