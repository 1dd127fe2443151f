import ArgumentParser
import Foundation
import TagwayConfig
import TagwayGateway
import TagwayModel
import TagwayProbe
import TagwayUSB

extension DevicesCommand {
    /// `tagway devices --probe PORT`: exit 0 when a profile matched, 1 when none did or the port
    /// cannot be opened, 2 for a bad configuration or a port a configured reader owns.
    func runProbe(port: String) async throws {
        let profiles: [DeviceProfile]
        do {
            var directory = devices
            if let config {
                let loaded = try GatewayConfigLoader.load(file: config, devicesDir: devices)
                if let owner = Self.owner(of: port, in: loaded.readers) {
                    FileHandle.standardError.write(Data("""
                        \(port) is reader \(owner)'s port in \(config): not probed, so the running gateway's \
                        reader is not disturbed. Stop the gateway (or remove the reader) to probe it.

                        """.utf8))
                    throw ExitCode(2)
                }
                directory = loaded.devicesDir
            }
            profiles = Array(try DeviceProfileLoader.load(directory: directory ?? DevicesDirectory.locate()).values)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        guard listen > 0, listen <= 600 else {
            FileHandle.standardError.write(Data("--listen \(listen): expected seconds between 0 and 600\n".utf8))
            throw ExitCode(2)
        }
        var machine = ProbeMachine(candidates: SerialProbe.candidates(profiles), listen: .milliseconds(Int64(listen * 1000)))
        let outcome = await SerialProbe(path: port).run(&machine)
        print(json ? Self.json(outcome, port: port) : ProbeReport.text(outcome, port: port))
        if outcome.failure != nil || outcome.matches.isEmpty { throw ExitCode(1) }
    }

    /// The configured reader whose port is `port` (the same file, whatever link names it; for a
    /// reader given by USB serial number, the tty udev lists with that serial number now).
    static func owner(of port: String, in readers: [ReaderConfig]) -> String? {
        let target = DeviceInventory.realPath(port)
        let ttys = readers.contains { $0.usbPort != nil } ? ((try? UDevEnumerator.serialPorts()) ?? []) : []
        return readers.first { reader in
            if let match = reader.usbPort, case .success(let node) = USBSerialPortLookup.node(for: match, among: ttys) {
                return node == port || node == target
            }
            guard let path = reader.port else { return false }
            return path == port || DeviceInventory.realPath(path) == target
        }?.id
    }

    static func json(_ outcome: ProbeOutcome, port: String) -> String {
        var w = JSONObjectWriter()
        w.string("port", port)
        if let failure = outcome.failure { w.string("error", failure) }
        w.string("tried", outcome.attempts.map { "\($0.serial)" }.joined(separator: ", "))
        w.string("matches", outcome.matches.map(\.profileID).joined(separator: ", "))
        if let best = outcome.matches.first {
            w.string("profile", best.profileID)
            w.string("protocol", best.protocolID)
            w.string("serial", "\(best.serial)")
            w.string("evidence", best.evidence)
            w.string("yaml", ProbeReport.readerLine(best, port: port))
        }
        return w.finish()
    }
}
