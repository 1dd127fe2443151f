import Foundation
import Testing
import TagwayConfig
import TagwayEmulators
import TagwayProtocols
import TagwaySerial
import TagwaySettings
import TagwaySimulator
import TagwayTestSupport

/// `tagway devices --probe PORT` against every serial protocol's emulator on a pty that keeps
/// the reader's real rate (`SimulatedReader(lineRate:)`): the probe tries 9600 8N1 and 115200 8N1,
/// so every reader is opened at a wrong rate too, and must be named at its own rate only.
@Suite(.timeLimit(.minutes(2))) struct ProbeCommandTests {
    /// The first profile (by id) of each serial protocol, with the scenario that makes a passive
    /// reader speak (a card held to it, codes scanned); commanded readers answer their query.
    static func cases() throws -> [(profile: DeviceProfile, script: String)] {
        let profiles = try DeviceProfileLoader.load(directory: TestPaths.repositoryDevices).values.sorted { $0.id < $1.id }
        return ProtocolRegistry.all.filter { $0.transport == .serialBytes }.compactMap { descriptor in
            guard let profile = profiles.first(where: { $0.protocolID == descriptor.id && $0.transport == .serial }) else { return nil }
            let script = switch profile.technology {
            case "em4100": "0 enter 0100E2850E\n"
            case "barcode": (0..<40).map { "\(Double($0) * 0.25) scan ]C1<GS>0106141411234562\n" }.joined()
            default: "0 enter 3034257BF7194E4000001A85\n"
            }
            return (profile, script)
        }
    }

    @Test func everySerialProtocolHasAProfileToProbeFor() throws {
        let found = Set(try Self.cases().map(\.profile.protocolID))
        for descriptor in ProtocolRegistry.all where descriptor.transport == .serialBytes { #expect(found.contains(descriptor.id), "no serial profile for \(descriptor.id)") }
    }

    @Test func everySerialReaderIsNamedAtItsOwnRate() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (profile, script) in try Self.cases() {
                group.addTask { try Self.probe(profile, script: script) }
            }
            try await group.waitForAll()
        }
    }

    static func probe(_ profile: DeviceProfile, script: String) throws {
        let dir = TestPaths.temporaryDirectory("probe")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let baud = try #require(profile.serial?.baud)
        let emulator = try EmulatorFactory.make(protocolID: profile.protocolID, settings: profile.settings)
        let reader = try SimulatedReader(path: dir + "/port", emulator: emulator, scenario: Scenario.parse(script, file: "probe"),
                                         lineRate: baud)
        reader.start()
        defer { reader.stop(); reader.wait() }
        let run = try ExternalCommand.run(executable: GatewayProcess.executable,
                                          ["devices", "--probe", dir + "/port", "--listen", "1.5", "--devices", TestPaths.repositoryDevices],
                                          timeout: .seconds(60))
        #expect(run.status == 0, "\(profile.id): \(run.transcript)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let own = lines.firstIndex { $0.hasPrefix("\(baud) 8N1: heard") }
        let other = lines.firstIndex { $0.hasPrefix("\(baud == 9600 ? 115_200 : 9600) 8N1: heard") }
        #expect(own != nil && other != nil, "\(profile.id): \(run.stdout)")
        #expect(other.map { lines[$0].hasSuffix("no profile matched") } == true, "\(profile.id) at the wrong rate: \(run.stdout)")
        #expect(lines.contains { $0.hasPrefix("  matches \(profile.id) (\(profile.protocolID))") }, "\(profile.id): \(run.stdout)")
        // The line to add names the first matching profile, this protocol's first by id.
        #expect(run.stdout.contains("- { id: port, profile: \(profile.id), port: \(dir)/port, readPoint: port }"), "\(run.stdout)")
    }

    @Test func aPortAConfiguredReaderOwnsIsNotProbed() throws {
        let dir = TestPaths.temporaryDirectory("probe-owned")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        gateway: { id: p, dataDir: "\(dir)/data", devicesDir: "\(TestPaths.repositoryDevices)" }
        readers:
          - { id: dock-1, profile: magicrf/m100, port: "\(dir)/port", readPoint: dock }
        """.write(toFile: dir + "/gw.yaml", atomically: true, encoding: .utf8)
        let run = try ExternalCommand.run(executable: GatewayProcess.executable,
                                          ["devices", "--probe", dir + "/port", "--config", dir + "/gw.yaml"], timeout: .seconds(60))
        #expect(run.status == 2, "\(run.transcript)")
        #expect(run.stderr.contains("is reader dock-1's port"), "\(run.transcript)")
    }

    /// A port another program holds (a running gateway takes its ports exclusively) is refused
    /// by the lock, never written to.
    @Test func aPortHeldByAnotherProgramIsRefused() throws {
        let dir = TestPaths.temporaryDirectory("probe-held")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let reader = try SimulatedReader(path: dir + "/port", emulator: M100Emulator(), scenario: Scenario.parse("", file: "held"))
        reader.start()
        defer { reader.stop(); reader.wait() }
        let holder = try SerialPort.open(path: dir + "/port", settings: SerialSettings(baud: 115_200))
        defer { holder.close() }
        let run = try ExternalCommand.run(executable: GatewayProcess.executable,
                                          ["devices", "--probe", dir + "/port", "--devices", TestPaths.repositoryDevices],
                                          timeout: .seconds(60))
        #expect(run.status == 1, "\(run.transcript)")
        #expect(run.stdout.contains("cannot probe") && run.stdout.contains("in use by another program"), "\(run.transcript)")
    }
}
