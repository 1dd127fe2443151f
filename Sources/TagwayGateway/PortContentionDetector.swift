import TagwayConfig

/// Judges a `HostObservation`: pure, so every case is tested on a made-up machine.
///
/// brltty (a braille display daemon, installed by default on many desktops) claims common
/// USB-serial bridges (CH340, CP210x, FTDI) in its udev rule because braille displays use them;
/// once it opens a reader's port the reader "does nothing". ModemManager probes new ttys with AT
/// commands unless udev marks them ID_MM_DEVICE_IGNORE, which confuses readers that answer any
/// byte. Both are the most reported cause of serial readers not working on Linux.
public enum PortContentionDetector {
    /// `bridges`: those readers ship on (the configured readers' profiles, or every serial profile).
    public static func findings(_ host: HostObservation, bridges: [USBBridge]) -> [PortContention] {
        brltty(host) + brlttyRules(host.brlttyRules, bridges: bridges) + modemManager(host)
    }

    static func brltty(_ host: HostObservation) -> [PortContention] {
        let rule = host.brlttyRules.first { !$0.isMasked }?.name ?? "85-brltty.rules"
        var out: [PortContention] = []
        for process in host.processes where process.name == "brltty" {
            guard let files = process.openFiles else {
                out.append(PortContention(
                    kind: .brlttyRunning, blocking: false,
                    problem: "brltty (pid \(process.pid)) is running; which serial ports it holds cannot be seen without root",
                    remedy: "run `sudo tagway devices` to see them; unless a braille display is used here: sudo apt purge brltty"))
                continue
            }
            for port in host.ports where files.contains(port.node) {
                let whose = port.reader.map { " (reader \($0)'s port)" } ?? ""
                out.append(PortContention(
                    kind: .brlttyHoldsPort, reader: port.reader, port: port.node, blocking: true,
                    problem: "brltty (pid \(process.pid)) holds \(port.node)\(whose): the reader's bytes go to a braille driver",
                    remedy: "unless a braille display is used here: sudo apt purge brltty; else stop it taking readers: "
                        + "sudo ln -s /dev/null /etc/udev/rules.d/\(rule) && sudo udevadm control --reload && sudo systemctl stop brltty, then replug the reader"))
            }
        }
        return out
    }

    static func brlttyRules(_ files: [HostObservation.RulesFile], bridges: [USBBridge]) -> [PortContention] {
        files.compactMap { file in
            guard !file.isMasked else { return nil }
            let claimed = claims(file.text, of: bridges)
            guard !claimed.isEmpty else { return nil }
            let names = claimed.map { "\($0.idText) (\($0.name))" }.joined(separator: ", ")
            return PortContention(
                kind: .brlttyRule, blocking: false,
                problem: "brltty's udev rule \(file.path) claims \(names): plugging such a reader starts brltty, which takes its port",
                remedy: "unless a braille display is used here: sudo apt purge brltty; else mask the rule: "
                    + "sudo ln -s /dev/null /etc/udev/rules.d/\(file.name) && sudo udevadm control --reload")
        }
    }

    /// The bridges a rules file matches: brltty's generated rules say `ENV{PRODUCT}=="1a86/7523/*"`
    /// (the kernel's hex without leading zeros), hand-written ones `ATTRS{idVendor}=="1a86"` with
    /// `ATTRS{idProduct}=="7523"` on one line. Comments name devices too and are not matches.
    static func claims(_ text: String, of bridges: [USBBridge]) -> [USBBridge] {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.lowercased() }
            .filter { !$0.drop(while: \.isWhitespace).hasPrefix("#") }
        var seen: Set<UInt32> = []
        return bridges.filter { bridge in
            guard seen.insert(bridge.key).inserted else { return false }
            let product = "\"\(String(bridge.vendorID, radix: 16))/\(String(bridge.productID, radix: 16))/"
            let (vendor, model) = (String(bridge.idText.prefix(4)), String(bridge.idText.suffix(4)))
            return lines.contains { line in
                line.contains(product)
                    || (line.contains("idvendor}==\"\(vendor)\"") && line.contains("idproduct}==\"\(model)\""))
            }
        }
    }

    static func modemManager(_ host: HostObservation) -> [PortContention] {
        guard let process = host.processes.first(where: { $0.name == "ModemManager" }) else { return [] }
        return host.ports.compactMap { port in
            if port.udevProperties?["ID_MM_DEVICE_IGNORE"] == "1" { return nil }
            let record = port.udevProperties == nil ? "udev has no record of \(port.node)" : "\(port.node) is not marked ID_MM_DEVICE_IGNORE=1"
            return PortContention(
                kind: .modemManagerProbes, reader: port.reader, port: port.node, blocking: false,
                problem: "ModemManager (pid \(process.pid)) is running and \(record): it may send AT probes to the reader when it is plugged",
                remedy: "install Tagway's udev rules (tagway udev-rules | sudo tee /etc/udev/rules.d/70-tagway.rules >/dev/null && sudo udevadm control --reload "
                    + "&& sudo udevadm trigger --subsystem-match=tty; an adapter not listed under its profile's bridges: needs adding there); or, with no modem on this machine: sudo systemctl disable --now ModemManager")
        }
    }
}
