import Testing
import TagwayAPI
@testable import TagwayGateway

/// `/readyz` with brltty and ModemManager findings: a required reader whose port brltty holds
/// is not ready, grace period or not; lesser findings are warnings in the details.
@Suite struct ReadinessContentionTests {
    typealias Reader = ReadinessSnapshot.Reader

    func evaluate(_ readers: [Reader], _ contention: [PortContention]) -> Readiness {
        var s = ReadinessSnapshot(log: .init(), lastBeat: .seconds(99), beatWindow: .seconds(30), readers: readers,
                                  readyGrace: .seconds(30), restartReasons: [])
        s.contention = contention
        return ReadinessDecision.evaluate(s, now: .seconds(100))
    }

    func check(_ r: Readiness, _ name: String) -> Readiness.Check? { r.checks.first { $0.name == name } }

    static let held = PortContention(kind: .brlttyHoldsPort, reader: "door", port: "/dev/ttyUSB0", blocking: true,
                                     problem: "brltty (pid 9) holds /dev/ttyUSB0", remedy: "sudo apt purge brltty")

    @Test func aRequiredReaderWhosePortBrlttyHoldsIsNotReadyEvenInItsGrace() {
        let door = Reader(id: "door", required: true, connected: false, unconnectedSince: .seconds(95))
        let r = evaluate([door], [Self.held])
        #expect(!r.ready)
        #expect(check(r, "reader:door")?.ok == false)
        #expect(check(r, "reader:door")?.detail
                == "not connected for 5.0s; in its grace period of 30.0s; not ready: brltty (pid 9) holds /dev/ttyUSB0. Fix: sudo apt purge brltty")
    }

    @Test func anOptionalReaderOnlyWarns() {
        let door = Reader(id: "door", required: false, connected: false, unconnectedSince: .seconds(95))
        let r = evaluate([door], [Self.held])
        #expect(r.ready)
        #expect(check(r, "reader:door")?.detail.contains("; warning: brltty (pid 9) holds /dev/ttyUSB0") == true)
    }

    @Test func modemManagerAndBrlttysRuleAreWarnings() {
        let door = Reader(id: "door", required: true, connected: true, unconnectedSince: nil)
        let probes = PortContention(kind: .modemManagerProbes, reader: "door", port: "/dev/ttyUSB0", blocking: false,
                                    problem: "ModemManager (pid 5) is running", remedy: "install Tagway's udev rules")
        let rule = PortContention(kind: .brlttyRule, blocking: false, problem: "brltty's udev rule claims 1a86:7523 (CH340)",
                                  remedy: "mask it")
        let other = PortContention(kind: .brlttyHoldsPort, reader: "desk", port: "/dev/ttyUSB1", blocking: true, problem: "held", remedy: "x")
        let r = evaluate([door], [probes, rule, other])
        #expect(r.ready, "a finding about another reader does not touch this one")
        #expect(check(r, "reader:door")?.detail == "connected; warning: ModemManager (pid 5) is running. Fix: install Tagway's udev rules")
        #expect(check(r, "serial-ports")?.ok == true)
        #expect(check(r, "serial-ports")?.detail == "warning: brltty's udev rule claims 1a86:7523 (CH340). Fix: mask it")
    }

    @Test func noFindingsNoExtraCheck() {
        let r = evaluate([Reader(id: "door", required: true, connected: true, unconnectedSince: nil)], [])
        #expect(r.checks.map(\.name) == ["log", "pipeline", "reader:door", "restart"])
    }
}
