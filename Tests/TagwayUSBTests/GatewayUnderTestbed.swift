import Foundation
import TagwayEventLog
import TagwayModel

/// Runs the real `tagway run` under the USB testbed: the gateway's libusb and libudev see the
/// emulated readers, its log lines go to standard output (so `wait-output` steps can wait for
/// "waiting", "disconnected" …), and afterwards the test reads what it wrote to its event log.
struct GatewayUnderTestbed {
    /// The repository's `devices/` profiles (the ones a gateway ships with).
    static let repositoryDevices = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("devices").path

    /// The shipped profiles plus one for the ID-12LA on an FTDI board that the emulated
    /// `ftdi-id12la` device is (its product string is what tells it from other FTDI cables).
    static func devicesWithFTDIReader(in directory: String) throws -> String {
        let path = directory + "/devices"
        try FileManager.default.copyItem(atPath: GatewayUnderTestbed.repositoryDevices, toPath: path)
        try FileManager.default.createDirectory(atPath: path + "/test", withIntermediateDirectories: true)
        try """
            id: test/id12la-ftdi
            name: ID-12LA on an FTDI board
            transport: serial
            protocol: em4100-ascii
            usb: { vendorId: 0x0403, productId: 0x6001, product: "ID-12LA reader" }
            serial: { baud: 9600 }
            """.write(toFile: path + "/test/id12la-ftdi.yaml", atomically: true, encoding: .utf8)
        return path
    }

    static var tagway: String { Testbed.directory.appendingPathComponent("tagway").path }

    let directory: String
    let configFile: String

    /// A gateway configured with `readers` (one YAML flow mapping per reader) in a fresh temporary
    /// directory that holds its config and event log.
    init(readers: [String], devicesDir: String = GatewayUnderTestbed.repositoryDevices) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tagway-usb-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        configFile = directory + "/gateway.yaml"
        let config = """
            gateway: { id: usb-test, dataDir: \(directory)/data, devicesDir: \(devicesDir), durability: normal }
            readers:
            \(readers.map { "  - " + $0 }.joined(separator: "\n"))
            """
        try config.write(toFile: configFile, atomically: true, encoding: .utf8)
    }

    /// `tagway run` under the testbed with `steps`; the log goes to stdout with the events.
    func run(_ steps: [String], timeoutMs: Int = 60_000) async throws -> TestbedRun {
        try await Testbed.run(steps, command: [
            "/bin/sh", "-c", "exec \"$0\" \"$@\" 2>&1", Self.tagway, "run", "--config", configFile, "--print-events",
        ], timeoutMs: timeoutMs)
    }

    /// Every event the gateway logged, in log order.
    func events() throws -> [MovementEvent] {
        let log = try EventLog.openExisting(directory: directory + "/data")
        return try log.events(after: 0, limit: 1000)
    }

    /// The `observed` events (barcode scans) the gateway logged, in log order.
    func observed() throws -> [MovementEvent] {
        try events().filter { $0.type == .observed }
    }

    /// The reader health the gateway wrote to `status.json` when it stopped.
    func readerStatus(_ reader: String) throws -> [String: Any]? {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/data/status.json"))
        let status = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let readers = status?["readers"] as? [[String: Any]] ?? []
        return readers.first { $0["reader"] as? String == reader }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
