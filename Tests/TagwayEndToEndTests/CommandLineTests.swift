import Foundation
import Synchronization
import Testing
import TagwayTestSupport
import TagwayEventLog
import TagwayModel

/// Runs `tagway` with arguments and returns its exit status and output.
func runTagway(_ arguments: [String], timeout: Duration = .seconds(120)) throws -> (status: Int32, stdout: String, stderr: String) {
    let run = try ExternalCommand.run(executable: GatewayProcess.executable, arguments, timeout: timeout)
    return (run.status, run.stdout, run.stderr)
}

@Suite(.serialized) struct CommandLineTests {
    @Test func demoPrintsEventsAndTheLogHasTheSame() throws {
        let dir = makeTemporaryDirectory("demo")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let demo = try runTagway(["demo", "--duration", "9", "--data-dir", dir, "--devices", repositoryDevices])
        #expect(demo.status == 0, "\(demo.stderr)")
        let printed = demo.stdout.split(separator: "\n").filter { $0.contains("  (reader ") }
        for type in ["arrived", "departed", "observed"] {
            #expect(printed.contains { $0.contains(" \(type) ") }, "no \(type) in the demo output:\n\(demo.stdout)")
        }
        let listed = try runTagway(["events", "list", "--data-dir", dir, "--json"])
        #expect(listed.status == 0)
        let lines = listed.stdout.split(separator: "\n")
        #expect(lines.count == printed.count, "printed \(printed.count) events, the log lists \(lines.count)")
        // Every printed line names the seq of a listed event with the same type.
        for line in printed {
            guard let seqText = line.split(separator: "seq ").last?.prefix(while: \.isNumber), let seq = Int(seqText) else {
                Issue.record("no seq in \(line)")
                continue
            }
            let json = lines.first { $0.contains("\"seq\":\(seq),") }
            let object = json.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(object.map { line.contains(" \($0["type"] as? String ?? "?") ") } == true, "\(line)")
        }
    }

    @Test func eventsListPagesAndFilters() async throws {
        let dir = makeTemporaryDirectory("list")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        var rng = SystemRandomNumberGenerator()
        let events = (1...12).map { n in
            MovementEvent(id: EventID.make(time: Timestamp(milliseconds: Int64(n)), using: &rng), type: .observed,
                          time: Timestamp(milliseconds: 1_790_000_000_000 + Int64(n)), gateway: "gw",
                          asset: AssetRef(key: "barcode:\(n)", scheme: "barcode", raw: "\(n)"), readPoint: "desk")
        }
        _ = try await log.append(events)
        let page = try runTagway(["events", "list", "--data-dir", dir, "--json", "--after", "4", "--limit", "5"])
        let seqs = page.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["seq"] as? Int
        }
        #expect(seqs == [5, 6, 7, 8, 9])
        let human = try runTagway(["events", "list", "--data-dir", dir, "--limit", "1"])
        #expect(human.stdout.contains("observed barcode:1  at desk"), "\(human.stdout)")
        let missing = try runTagway(["events", "list", "--data-dir", dir + "/nope"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no events.sqlite here"))
    }

    @Test(.timeLimit(.minutes(1))) func eventsTailFollowsAnotherProcessesCommits() async throws {
        let dir = makeTemporaryDirectory("tail")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = try EventLog(directory: dir)
        var rng = SystemRandomNumberGenerator()
        func event(_ n: Int) -> MovementEvent {
            MovementEvent(id: EventID.make(time: Timestamp(milliseconds: Int64(n)), using: &rng), type: .arrived,
                          time: Timestamp(milliseconds: 1_790_000_000_000 + Int64(n)), gateway: "gw",
                          asset: AssetRef(key: "em4100:\(n)", scheme: "em4100", raw: "\(n)"), to: "door", readPoint: "door")
        }
        _ = try await log.append([event(1)])
        let process = Process()
        process.executableURL = GatewayProcess.executable
        process.arguments = ["events", "tail", "--data-dir", dir, "--json"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        // Each append waits for the line of the one before: the test follows the tail's output
        // instead of guessing how long a loaded machine takes to print it.
        let reader = LineReader(out.fileHandleForReading)
        var lines = await reader.lines(upTo: 1)
        _ = try await log.append([event(2)])
        lines = await reader.lines(upTo: 2)
        _ = try await log.append([event(3)])
        lines = await reader.lines(upTo: 3)
        process.interrupt()
        process.waitUntilExit()
        #expect(lines.count == 3, "\(lines)")
        #expect(lines.last?.contains("\"key\":\"em4100:3\"") == true)
        #expect(process.terminationStatus == 0)
    }

    @Test func checkConfigReportsEveryErrorWithItsLine() throws {
        let dir = makeTemporaryDirectory("check")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/bad.yaml"
        try """
            gateway: { id: gw, dataDir: data }
            readers:
              - { id: a, profile: magicrf/m100 }
              - { id: b, profile: nosuch/reader, port: /dev/ttyS9 }
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try runTagway(["check-config", file, "--devices", repositoryDevices])
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(file):3:5: readers[0]: serial reader 'a' has no port"), "\(result.stderr)")
        #expect(result.stderr.contains("\(file):4:23: readers[1].profile: unknown device profile 'nosuch/reader'"), "\(result.stderr)")
        let run = try runTagway(["run", "--config", file, "--devices", repositoryDevices])
        #expect(run.status == 2, "nothing starts on a bad config")
    }
}

@Suite struct IdentifyCommandTests {
    private func objects(_ stdout: String) -> [[String: Any]] {
        stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func epcHexGivesEveryField() throws {
        let result = try runTagway(["identify", "--json", "3074257BF7194E4000001A85"])
        #expect(result.status == 0, "\(result.stderr)")
        let o = try #require(objects(result.stdout).first)
        #expect(o["kind"] as? String == "epc")
        #expect(o["scheme"] as? String == "sgtin-96")
        #expect(o["uri"] as? String == "urn:epc:id:sgtin:0614141.812345.6789")
        #expect(o["tagUri"] as? String == "urn:epc:tag:sgtin-96:3.0614141.812345.6789")
        #expect(o["filter"] as? Int == 3)
        #expect(o["partition"] as? Int == 5)
        #expect(o["elementString"] as? String == "(01)80614141123458(21)6789")
        #expect(o["hex"] as? String == "3074257BF7194E4000001A85")
        #expect(o["assetKey"] as? String == "urn:epc:id:sgtin:0614141.812345.6789")
    }

    @Test func aBarcodeAndATagOfOneAssetShareTheKey() throws {
        let result = try runTagway(["identify", "--json", "--company-prefix", "0614141",
                                    "3414257BF40000000000303A", "]C1<GS>8004061414112346"])
        let o = objects(result.stdout)
        #expect(o.count == 2)
        #expect(o.first?["assetKey"] as? String == "urn:epc:id:giai:0614141.12346")
        #expect(o.last?["assetKey"] as? String == "urn:epc:id:giai:0614141.12346")
        #expect(o.last?["kind"] as? String == "gs1")
        #expect(o.last?["symbology"] as? String == "]C1")
    }

    @Test func invalidInputSaysWhyAndExitsOne() throws {
        let result = try runTagway(["identify", "--json", "urn:epc:tag:sgtin-96:3.0614141.812345.6789", "urn:epc:tag:sgtin-96:9.0614141.812345.6789"])
        #expect(result.status == 1)
        let o = objects(result.stdout)
        #expect(o.count == 2)
        #expect(o.first?["error"] == nil)
        #expect(o.first?["hex"] as? String == "3074257BF7194E4000001A85")
        #expect((o.last?["error"] as? String)?.isEmpty == false)
    }
}

/// Reads whole lines from a child's output pipe off the cooperative pool (the reads block).
final class LineReader: Sendable {
    private let handle: FileHandle
    private let state = Mutex<(text: String, ended: Bool)>(("", false))

    init(_ handle: FileHandle) { self.handle = handle }

    /// The lines read so far, once there are at least `count` (or the pipe has ended).
    func lines(upTo count: Int) async -> [String] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [self] in
                while true {
                    let (text, ended) = state.withLock { ($0.text, $0.ended) }
                    let lines = text.split(separator: "\n").map(String.init)
                    if lines.count >= count || ended { return continuation.resume(returning: lines) }
                    let data = handle.availableData
                    state.withLock {
                        if data.isEmpty { $0.ended = true } else { $0.text += String(decoding: data, as: UTF8.self) }
                    }
                }
            }
        }
    }
}
