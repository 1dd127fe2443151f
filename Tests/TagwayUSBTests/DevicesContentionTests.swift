import Foundation
import Testing

extension USBEmulation {
    /// `tagway devices` with a reader configured by USB serial number, on a made-up machine
    /// (`--host-root`) where ModemManager runs and brltty's udev rule claims the reader's bridge:
    /// both the one its profile lists and the one it is actually attached through.
    @Suite("tagway devices: brltty and ModemManager")
    struct DevicesContention {
        @Test func findingsSayWhatToDo() async throws {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tagway-contention-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let host = scratch + "/host"
            func write(_ path: String, _ text: String) throws {
                try FileManager.default.createDirectory(atPath: ((host + path) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: host + path, atomically: false, encoding: .utf8)
            }
            try write("/proc/530/comm", "ModemManager\n")
            try write("/sys/class/tty/ttyUSB0/dev", "188:0\n")
            try write("/run/udev/data/c188:0", "E:ID_VENDOR_ID=0403\nE:ID_SERIAL_SHORT=A10K3ZQ9\n")
            try write("/usr/lib/udev/rules.d/85-brltty.rules", """
                # Device: 0403:6015
                ENV{PRODUCT}=="403/6015/*", ENV{BRLTTY_BRAILLE_DRIVER}="bm", GOTO="brltty_usb_run"
                # Device: 0403:6001
                ENV{PRODUCT}=="403/6001/*", ENV{BRLTTY_BRAILLE_DRIVER}="at,ce,hd,hm,ht,md", GOTO="brltty_usb_run"

                """)
            let config = scratch + "/gateway.yaml"
            try """
                gateway: { id: t, dataDir: \(scratch)/data }
                readers:
                  - { id: badge, profile: id-innovations/id-12la, usb: { serial: A10K3ZQ9 } }
                """.write(toFile: config, atomically: true, encoding: .utf8)
            let run = try await Testbed.run(["device", "rfid", Testbed.device("ftdi-id12la"), "plug", "rfid"], command: [
                GatewayUnderTestbed.tagway, "devices", "--config", config, "--devices", GatewayUnderTestbed.repositoryDevices,
                "--host-root", host,
            ])
            #expect(run.exitCode == 0, "\(run.log)")
            let lines = run.output.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.contains("/dev/ttyUSB0") && $0.contains("serial A10K3ZQ9")
                        && $0.contains("profile id-innovations/id-12la") && $0.contains("configured as reader badge") }, "\(run.output)")
            #expect(lines.contains("warning: ModemManager (pid 530) is running and /dev/ttyUSB0 is not marked ID_MM_DEVICE_IGNORE=1: "
                                   + "it may send AT probes to the reader when it is plugged. Fix: install Tagway's udev rules "
                                   + "(tagway udev-rules | sudo tee /etc/udev/rules.d/70-tagway.rules >/dev/null && sudo udevadm control --reload && sudo udevadm trigger "
                                   + "--subsystem-match=tty; an adapter not listed under its profile's bridges: needs adding there); "
                                   + "or, with no modem on this machine: sudo systemctl disable --now ModemManager"), "\(run.output)")
            #expect(lines.contains { $0.hasPrefix("warning: brltty's udev rule /usr/lib/udev/rules.d/85-brltty.rules claims 0403:6015 (FT231X), 0403:6001 (ID-12LA reader): "
                                                + "plugging such a reader starts brltty") },
                    "\(run.output)")

            let json = try await Testbed.run(["device", "rfid", Testbed.device("ftdi-id12la"), "plug", "rfid"], command: [
                GatewayUnderTestbed.tagway, "devices", "--json", "--config", config, "--devices", GatewayUnderTestbed.repositoryDevices,
                "--host-root", host,
            ])
            let findings = try json.output.split(separator: "\n").filter { $0.hasPrefix("{\"finding\"") }
                .map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
            #expect(findings.map { $0["finding"] as? String } == ["brltty-rule", "modemmanager-probes"], "\(json.output)")
            #expect(findings.last?["reader"] as? String == "badge")
            #expect(findings.last?["blocking"] as? Bool == false)
        }

        /// `--probe` refuses the tty a reader given by USB serial number has now: probing it
        /// would disturb the running gateway's reader.
        @Test func probeRefusesTheTtyOfAReaderGivenByUSBSerialNumber() async throws {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tagway-probe-owner-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let config = scratch + "/gateway.yaml"
            try """
                gateway: { id: t, dataDir: \(scratch)/data }
                readers:
                  - { id: badge, profile: id-innovations/id-12la, usb: { serial: A10K3ZQ9 } }
                """.write(toFile: config, atomically: true, encoding: .utf8)
            let run = try await Testbed.run(["device", "rfid", Testbed.device("ftdi-id12la"), "plug", "rfid"], command: [
                "/bin/sh", "-c", "exec \"$0\" \"$@\" 2>&1", GatewayUnderTestbed.tagway, "devices", "--probe", "/dev/ttyUSB0",
                "--config", config, "--devices", GatewayUnderTestbed.repositoryDevices,
            ])
            #expect(run.exitCode == 2, "\(run.log)")
            #expect(run.output.contains("/dev/ttyUSB0 is reader badge's port in \(config): not probed"), "\(run.output)")
        }
    }
}
