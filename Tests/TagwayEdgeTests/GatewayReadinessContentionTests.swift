import Foundation
import Logging
import Testing
import TagwayAPI
import TagwayConfig
import TagwayTestSupport
@testable import TagwayGateway

/// The gateway's `/readyz` answer on a made-up machine where brltty holds a serial reader's port
/// and ModemManager runs: the scan happens when readiness is asked, for the configured ports.
@Suite struct GatewayReadinessContentionTests {
    @Test func aRequiredReaderWhosePortBrlttyHoldsIsNotReady() throws {
        let host = FakeHostTree()
        defer { host.remove() }
        try host.process(4242, "brltty", holding: ["/dev/tty1", "/dev/ttyUSB0"])
        try host.process(530, "ModemManager")
        try host.tty("ttyUSB0", "188:0", udev: ["ID_MM_DEVICE_IGNORE=1"])
        try host.tty("ttyUSB1", "188:1", udev: ["ID_VENDOR_ID=10c4"])
        let dir = TestPaths.temporaryDirectory("readiness-contention")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = try GatewayConfigLoader.parse("""
            gateway: { id: gw, dataDir: "\(dir)/data" }
            readers:
              - { id: door, profile: generic/rdm6300-ch340, port: /dev/ttyUSB0 }
              - { id: dock, profile: magicrf/m100, port: /dev/ttyUSB1 }
            """, file: dir + "/gw.yaml", devicesDir: TestPaths.repositoryDevices)
        var logger = Logger(label: "readiness-contention-test")
        logger.logLevel = .critical
        let gateway = try Gateway(config: config, logger: logger, hostRoot: host.root)
        let readiness = gateway.readiness(now: .now)
        let checks = Dictionary(readiness.checks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(!readiness.ready)
        #expect(checks["reader:door"]?.ok == false)
        #expect(checks["reader:door"]?.detail.contains("not ready: brltty (pid 4242) holds /dev/ttyUSB0 (reader door's port)") == true,
                "\(readiness.json)")
        #expect(checks["reader:dock"]?.ok == true, "in its grace period, and ModemManager is only a warning: \(readiness.json)")
        #expect(checks["reader:dock"]?.detail.contains("warning: ModemManager (pid 530) is running and /dev/ttyUSB1 is not marked") == true,
                "\(readiness.json)")
    }
}
