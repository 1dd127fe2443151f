import Foundation
import Testing
import TagwaySerial
import TagwayTestSupport

/// Issue 16: `tagway run` with 16 readers that have nothing to say (8 serial ports that never
/// send a byte, 8 USB readers not plugged in), a sink with nothing to send and the API up does
/// not wake up. What is counted is voluntary context switches of all the gateway's threads (from
/// /proc/PID/task/*/status): a thread asleep in epoll_wait, futex or poll that a timer wakes goes
/// back to sleep once. Involuntary switches are left out: they are the gateway being preempted by
/// other work on the machine (on CI, the parallel suite doubled the total), not it waking. A
/// count over a window, not a time; `make test` runs it on its own, after the parallel suite. The floor is not ours: on Linux,
/// libdispatch's workqueue monitor (a 1 s timer on its manager thread, armed by the first
/// worker thread and never stopped) switches once a second. The bound is 1.4 per second, so any
/// timer of ours on top of it shows: a status file every 2 s adds at least 1 per second, a poll
/// of each reader once a second 16, Hummingbird's Date cache about 4. The per-machine rules
/// behind it ("idle means no deadline") have their own pure tests.
@Suite struct IdleGatewayTests {
    @Test func anIdleGatewayDoesNotWakeUp() async throws {
        let dir = makeTemporaryDirectory("idle")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ports = try (0..<8).map { _ in try PseudoTerminal() }
        var readers = ports.enumerated().map { index, pty in
            "  - { id: scanner-\(index), profile: generic/serial-barcode, port: \"\(pty.slavePath)\", readPoint: desk-\(index), required: false }"
        }
        readers += (0..<8).map { index in
            let (profile, vendor) = index % 2 == 0 ? ("honeywell/xenon-1900-hidpos", "0x0c2e") : ("zebra/ls2208-keyboard", "0x05e0")
            return "  - { id: usb-\(index), profile: \(profile), usb: { vendorId: \(vendor), productId: \(0x7f00 + index) }, "
                + "readPoint: usb-point-\(index), required: false }"
        }
        let gateway = try GatewayProcess(config: """
            gateway: { id: e2e, dataDir: "\(dir)", devicesDir: "\(repositoryDevices)" }
            readers:
            \(readers.joined(separator: "\n"))
            sinks:
              - id: itam
                webhook: { url: "http://127.0.0.1:9/hook", secret: "env:TAGWAY_IDLE_TEST_SECRET" }
            retention: { maxEvents: 1000000, maxAge: 720h, policy: block }
            api: { listen: "127.0.0.1:0" }
            """, dataDir: dir, environment: ["TAGWAY_IDLE_TEST_SECRET": "idle"])
        defer { _ = gateway.stop() }
        #expect(try await gateway.waitForLog("pull API listening on"), "\(gateway.errors)")
        let pid = gateway.process.processIdentifier

        // The start's own work (ports opened, USB enumerated, the first status write and
        // retention pass) ends by itself: wait for a second with no more than the monitor's
        // switch, for at most 30 of them.
        var last = try #require(Self.switches(pid: pid))
        for _ in 0..<30 {
            try await Task.sleep(for: .seconds(1))
            let now = try #require(Self.switches(pid: pid))
            defer { last = now }
            if now - last <= 1 { break }
        }
        let before = try #require(Self.switches(pid: pid))
        try await Task.sleep(for: .seconds(10))
        let after = try #require(Self.switches(pid: pid))
        #expect(gateway.process.isRunning, "\(gateway.errors)")
        // 10 from libdispatch's monitor; a few more allowed for what a busy CI machine may bring.
        #expect(after - before <= 14, "\(after - before) wake-ups in 10 s of idleness")
        withExtendedLifetime(ports) {}
    }

    /// Voluntary context switches (each a return to sleep) summed over every thread of `pid`.
    static func switches(pid: Int32) -> Int? {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return nil }
        var total = 0
        for task in tasks {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8) else { continue }
            for line in status.split(separator: "\n") {
                guard line.hasPrefix("voluntary_ctxt_switches:"),
                      let value = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else { continue }
                total += value
            }
        }
        return total
    }
}
