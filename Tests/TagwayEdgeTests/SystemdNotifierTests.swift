import Foundation
import Logging
import TagwayTestSupport
import Testing
@testable import TagwayGateway

/// The notify protocol on a real AF_UNIX datagram socket the test binds (a path, and an
/// abstract `@` name), and the environment rules (`WATCHDOG_USEC`, `WATCHDOG_PID`).
@Suite struct SystemdNotifierTests {
    let logger = Logger(label: "test")

    @Test func sendsDatagramsToAPathSocket() throws {
        let dir = TestPaths.temporaryDirectory("notify")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/notify.sock"
        let receiver = try DatagramReceiver(bindTo: path)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": path], logger: logger)
        #expect(notifier.isActive)
        notifier.send("READY=1\nSTATUS=ok")
        #expect(receiver.receive() == "READY=1\nSTATUS=ok")
    }

    @Test func sendsDatagramsToAnAbstractSocket() throws {
        let name = "@tagway-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let receiver = try DatagramReceiver(bindTo: name)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": name], logger: logger)
        notifier.send("WATCHDOG=1")
        #expect(receiver.receive() == "WATCHDOG=1")
    }

    @Test func withoutNotifySocketNothingIsSent() {
        #expect(!SystemdNotifier(environment: [:], logger: logger).isActive)
        #expect(!SystemdNotifier(environment: ["NOTIFY_SOCKET": ""], logger: logger).isActive)
        // Not an absolute path nor an abstract name, or too long for sun_path: refused, not sent.
        #expect(!SystemdNotifier(environment: ["NOTIFY_SOCKET": "relative.sock"], logger: logger).isActive)
        #expect(!SystemdNotifier(environment: ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 200)], logger: logger).isActive)
        // A socket nobody listens on: the send fails, is logged once, and does not throw or trap.
        let gone = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/notify.sock"], logger: logger)
        gone.send("READY=1")
        gone.send("READY=1")
    }

    @Test func theWatchdogIsOursOnlyWhenThePIDMatchesOrIsAbsent() {
        #expect(SystemdNotifier.watchdog(environment: ["WATCHDOG_USEC": "400000"], pid: 42) == .milliseconds(400))
        #expect(SystemdNotifier.watchdog(environment: ["WATCHDOG_USEC": "400000", "WATCHDOG_PID": "42"], pid: 42) == .milliseconds(400))
        #expect(SystemdNotifier.watchdog(environment: ["WATCHDOG_USEC": "400000", "WATCHDOG_PID": "7"], pid: 42) == nil)
        #expect(SystemdNotifier.watchdog(environment: ["WATCHDOG_USEC": "0"], pid: 42) == nil)
        #expect(SystemdNotifier.watchdog(environment: ["WATCHDOG_USEC": "-5"], pid: 42) == nil)
        #expect(SystemdNotifier.watchdog(environment: ["WATCHDOG_USEC": "99999999999999999999999"], pid: 42) == nil)
        #expect(SystemdNotifier.watchdog(environment: [:], pid: 42) == nil)
    }
}

/// A bound AF_UNIX datagram socket that reads what is sent to it (with a receive timeout, so a
/// missing message fails the test instead of hanging it).
final class DatagramReceiver {
    let descriptor: Int32

    init(bindTo name: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0, let (address, length) = SystemdNotifier.address(name) else { throw POSIXError(.EINVAL) }
        var bound = address
        let result = withUnsafePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EINVAL) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// The next datagram, or nil after the timeout.
    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count < 0 ? nil : String(decoding: buffer[..<count], as: UTF8.self)
    }
}
