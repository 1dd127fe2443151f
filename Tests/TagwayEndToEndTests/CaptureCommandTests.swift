import Foundation
import Testing
import TagwayTestSupport

/// What `simulate --replay` and `run --capture` say when they cannot do what is asked.
@Suite struct CaptureCommandTests {
    static var fixtures: String { Bundle.module.resourceURL?.appendingPathComponent("Fixtures").path ?? "Fixtures" }

    @Test func aHIDCaptureCannotBePlayedOnAPtyAndSaysWhatCan() throws {
        let run = try runTagway(["simulate", "--replay", Self.fixtures + "/hid-keyboard.tcap"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("USB HID reader's capture"), "\(run.stderr)")
        #expect(run.stderr.contains("tagway replay --config"), "\(run.stderr)")
    }

    @Test func aDamagedCaptureIsRefusedWithItsLine() throws {
        let dir = makeTemporaryDirectory("replay-damaged")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "#tagway-capture 1\n#reader r1\n#protocol em4100-ascii\n#transport serial\n1764698400000 rx 0g\n"
            .write(toFile: dir + "/bad.tcap", atomically: true, encoding: .utf8)
        let run = try runTagway(["simulate", "--replay", dir + "/bad.tcap"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("bad.tcap:5: '0g' is not hex"), "\(run.stderr)")
    }

    @Test func replayOptionsAreChecked() throws {
        let file = Self.fixtures + "/em4100-ascii.tcap"
        let speed = try runTagway(["simulate", "--replay", file, "--speed", "fast"])
        #expect(speed.status != 0)
        #expect(speed.stderr.contains("--speed fast"), "\(speed.stderr)")
        let both = try runTagway(["simulate", "--replay", file, "--profile", "magicrf/m100"])
        #expect(both.status != 0)
        #expect(both.stderr.contains("give no --profile"), "\(both.stderr)")
        let listen = try runTagway(["simulate", "--replay", file, "--listen", "127.0.0.1:0"])
        #expect(listen.status != 0)
        #expect(listen.stderr.contains("--listen is for LLRP captures"), "\(listen.stderr)")
    }

    @Test func aCaptureDirectoryThatCannotBeMadeStopsTheStart() throws {
        let dir = makeTemporaryDirectory("capture-dir")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "not a directory".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        try """
            gateway: { id: e2e, dataDir: "\(dir)/data", devicesDir: "\(repositoryDevices)" }
            readers:
              - { id: r1, profile: generic/serial-barcode, port: "\(dir)/scanner" }
            """.write(toFile: dir + "/gateway.yaml", atomically: true, encoding: .utf8)
        let run = try runTagway(["run", "--config", dir + "/gateway.yaml", "--capture", dir + "/file/capture"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("cannot start: capture directory"), "\(run.stderr)")
    }
}
