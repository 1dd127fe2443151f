import Foundation
import TagwayTestSupport

/// A made-up machine under a temporary directory: processes in proc/, udev rules and udev's
/// device database, ttys in sys/class/tty, for the brltty and ModemManager detection.
struct FakeHostTree {
    let root = TestPaths.temporaryDirectory("host")

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    func write(_ path: String, _ text: String) throws {
        let full = root + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: false, encoding: .utf8)
    }

    func link(_ path: String, to target: String) throws {
        let full = root + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: full, withDestinationPath: target)
    }

    /// A process named `name` with open files pointing at `files` (a real /proc's fd links point
    /// at the device nodes).
    func process(_ pid: Int, _ name: String, holding files: [String] = ["/dev/null"]) throws {
        try write("/proc/\(pid)/comm", name + "\n")
        for (fd, file) in files.enumerated() { try link("/proc/\(pid)/fd/\(fd)", to: file) }
    }

    /// A tty with its device numbers and, when `properties` is given, udev's record of it.
    func tty(_ name: String, _ numbers: String, udev properties: [String]?) throws {
        try write("/sys/class/tty/\(name)/dev", numbers + "\n")
        if let properties {
            try write("/run/udev/data/c\(numbers)", (["I:1234567"] + properties.map { "E:" + $0 } + ["G:systemd"]).joined(separator: "\n") + "\n")
        }
    }

    /// The line brltty's generated rules give a USB id, with the comments around it.
    static func brlttyRule(_ product: String) -> String {
        """
        # Device: 1A86:7523
        # Generic Identifier
        ENV{PRODUCT}=="\(product)/*", ENV{BRLTTY_BRAILLE_DRIVER}="bm", GOTO="brltty_usb_run"

        """
    }
}
