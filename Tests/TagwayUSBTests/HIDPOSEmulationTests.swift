import Testing

extension USBEmulation {
    @Suite("HID POS scanner")
    struct PointOfSale {
        @Test func longScanArrivesInSeveralReports() async throws {
            let long = String((0..<150).map { Character(Unicode.Scalar(UInt8(0x41 + $0 % 26))) })
            let run = try await Testbed.run([
                "device", "scanner", Testbed.device("honeywell-hidpos"), "plug", "scanner",
                "wait-reading", "scanner",
                "pos", "scanner", "]Q1", long,
                "pos", "scanner", "]E0", "5901234123457",
                "wait-output", "5901234123457", "stop",
            ], probe: ["watch", "--vid", "0c2e", "--pid", "0cd4", "--decoder", "pos"])
            #expect(run.exitCode == 0, "\(run.log)")
            #expect(run.scans == [long, "5901234123457"])
            #expect(run.events.filter { $0.event == "scan" }.map(\.symbology) == ["]Q1", "]E0"])
            #expect(run.events.first { $0.event == "connected" }?.kind == "hid-pos")
            #expect(run.statistics?.reports == 4, "150 bytes take three 56-byte reports")
            #expect(run.device("scanner")?.reportsDelivered == 4)
        }

        @Test func automaticDecodingRecognisesThePOSDescriptor() async throws {
            let run = try await Testbed.run([
                "device", "scanner", Testbed.device("honeywell-hidpos"), "plug", "scanner",
                "wait-reading", "scanner", "pos", "scanner", "]C1", "ABC-123\r\n",
                "wait-output", "scan", "stop",
            ], probe: ["watch", "--vid", "0c2e", "--pid", "0cd4", "--decoder", "auto"])
            #expect(run.scans == ["ABC-123"])
        }
    }
}
