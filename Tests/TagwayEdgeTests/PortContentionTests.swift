import Foundation
import Testing
import TagwayConfig
@testable import TagwayGateway

/// brltty and ModemManager, found in a fake /proc, udev rules directories and /run/udev tree,
/// each finding saying exactly what to do.
@Suite struct PortContentionTests {
    static let ch340 = USBBridge(vendorID: 0x1A86, productID: 0x7523, name: "CH340")
    static let ftdi = USBBridge(vendorID: 0x0403, productID: 0x6001, name: "FT232R")

    func findings(_ host: FakeHostTree, ports: [(reader: String?, node: String)] = [("door", "/dev/ttyUSB0")],
                  bridges: [USBBridge] = [Self.ch340, Self.ftdi]) -> [PortContention] {
        PortContentionDetector.findings(HostObservation.scan(root: host.root, ports: ports), bridges: bridges)
    }

    @Test func aQuietMachineHasNoFindings() throws {
        let host = FakeHostTree()
        defer { host.remove() }
        try host.process(1, "systemd")
        try host.process(812, "sshd", holding: ["/dev/ttyUSB0"])
        try host.tty("ttyUSB0", "188:0", udev: ["ID_MM_DEVICE_IGNORE=1"])
        try host.write("/usr/lib/udev/rules.d/60-serial.rules", "# nothing of brltty's\n")
        #expect(findings(host).isEmpty)
    }

    @Test func brlttyHoldingAReadersPortBlocksIt() throws {
        let host = FakeHostTree()
        defer { host.remove() }
        try host.process(4242, "brltty", holding: ["/dev/null", "/dev/tty1", "/dev/ttyUSB0"])
        try host.tty("ttyUSB0", "188:0", udev: ["ID_MM_DEVICE_IGNORE=1"])
        let found = findings(host, ports: [("door", "/dev/ttyUSB0"), ("desk", "/dev/ttyUSB1")])
        #expect(found.count == 1, "\(found)")
        let holds = try #require(found.first)
        #expect(holds.kind == .brlttyHoldsPort && holds.blocking && holds.reader == "door" && holds.port == "/dev/ttyUSB0")
        #expect(holds.problem == "brltty (pid 4242) holds /dev/ttyUSB0 (reader door's port): the reader's bytes go to a braille driver")
        #expect(holds.remedy.hasPrefix("unless a braille display is used here: sudo apt purge brltty; else stop it taking readers: "
                                       + "sudo ln -s /dev/null /etc/udev/rules.d/85-brltty.rules"), "\(holds.remedy)")
    }

    @Test func brlttysUdevRuleClaimingABridgeIsFoundUnlessMasked() throws {
        let host = FakeHostTree()
        defer { host.remove() }
        try host.write("/usr/lib/udev/rules.d/85-brltty.rules",
                       FakeHostTree.brlttyRule("1a86/7523") + FakeHostTree.brlttyRule("403/6001") + FakeHostTree.brlttyRule("10c4/ea60"))
        let found = findings(host)
        #expect(found.map(\.kind) == [.brlttyRule], "\(found)")
        #expect(found.first?.problem == "brltty's udev rule /usr/lib/udev/rules.d/85-brltty.rules claims 1a86:7523 (CH340), 0403:6001 (FT232R): "
                    + "plugging such a reader starts brltty, which takes its port")
        #expect(found.first?.remedy.contains("sudo ln -s /dev/null /etc/udev/rules.d/85-brltty.rules && sudo udevadm control --reload") == true)
        #expect(found.first?.blocking == false && found.first?.reader == nil)

        // Masked by a link to /dev/null of the same name in /etc: the rule no longer applies.
        try host.link("/etc/udev/rules.d/85-brltty.rules", to: "/dev/null")
        #expect(findings(host).isEmpty)
    }

    @Test func anEmptyFileMasksToo_andARuleInLibIsFoundWhenUsrLibHasNone() throws {
        let host = FakeHostTree()
        defer { host.remove() }
        try host.write("/lib/udev/rules.d/90-brltty-usb.rules",
                       #"SUBSYSTEM=="usb", ATTRS{idVendor}=="1a86", ATTRS{idProduct}=="7523", RUN+="brltty""# + "\n")
        #expect(findings(host).map(\.kind) == [.brlttyRule])
        try host.write("/etc/udev/rules.d/90-brltty-usb.rules", "")
        #expect(findings(host).isEmpty)
    }

    @Test func aBridgeNamedOnlyInACommentIsNotClaimed() throws {
        let host = FakeHostTree()
        defer { host.remove() }
        try host.write("/usr/lib/udev/rules.d/85-brltty.rules", "# Device: 1A86:7523 \"1a86/7523/*\"\n"
                       + FakeHostTree.brlttyRule("1a86/7524"))
        #expect(findings(host).isEmpty)
    }

    @Test func brlttyWhoseFilesCannotBeReadIsAWarning() {
        let host = HostObservation(processes: [.init(pid: 77, name: "brltty", openFiles: nil)], brlttyRules: [],
                                   ports: [.init(reader: "door", node: "/dev/ttyUSB0", udevProperties: nil)])
        let found = PortContentionDetector.findings(host, bridges: [Self.ch340])
        #expect(found.map(\.kind) == [.brlttyRunning])
        #expect(found.first?.blocking == false)
        #expect(found.first?.problem.contains("cannot be seen without root") == true)
    }

    @Test func modemManagerIsAWarningForPortsWithoutTheIgnoreFlag() throws {
        let host = FakeHostTree()
        defer { host.remove() }
        try host.process(530, "ModemManager")
        try host.tty("ttyUSB0", "188:0", udev: ["ID_VENDOR_ID=1a86", "ID_MM_DEVICE_IGNORE=1", "TAGWAY_BRIDGE=1a86:7523"])
        try host.tty("ttyUSB1", "188:1", udev: ["ID_VENDOR_ID=0403"])
        try host.tty("ttyACM0", "166:0", udev: nil)
        let found = findings(host, ports: [("door", "/dev/ttyUSB0"), ("desk", "/dev/ttyUSB1"), (nil, "/dev/ttyACM0")])
        #expect(found.map(\.port) == ["/dev/ttyUSB1", "/dev/ttyACM0"], "the marked port is left alone: \(found)")
        #expect(found.allSatisfy { $0.kind == .modemManagerProbes && !$0.blocking })
        #expect(found.first?.reader == "desk")
        #expect(found.first?.problem == "ModemManager (pid 530) is running and /dev/ttyUSB1 is not marked ID_MM_DEVICE_IGNORE=1: "
                    + "it may send AT probes to the reader when it is plugged")
        #expect(found.last?.problem.contains("udev has no record of /dev/ttyACM0") == true)
        #expect(found.first?.remedy.contains("tagway udev-rules | sudo tee /etc/udev/rules.d/70-tagway.rules >/dev/null && sudo udevadm control --reload") == true)
        #expect(found.first?.remedy.hasSuffix("sudo systemctl disable --now ModemManager") == true)

        // Without ModemManager running, unmarked ports are fine.
        try FileManager.default.removeItem(atPath: host.root + "/proc/530")
        #expect(findings(host, ports: [("desk", "/dev/ttyUSB1")]).isEmpty)
    }
}
