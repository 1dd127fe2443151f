import Foundation
import Testing
import TagwayCapture
import TagwayEmulators
import TagwayModel
import TagwaySimulator
import TagwayTestSupport

/// `tagway replay` with the real binary on captures written here from the emulators: the same
/// output on every run, the events of the configuration given, and clear errors.
@Suite struct ReplayCommandTests {
    static let t0: Int64 = 1_764_698_400_000

    /// A passive EM4100 reader's capture (an RDM6300, which repeats a card's id while it is in
    /// the field): `tags` over their windows (seconds from t0), every 100 ms as a live one speaks.
    static func em4100Capture(reader: String = "r1", tags: [(id: String, from: Double, to: Double)], protocolID: String = "em4100-ascii")
        throws -> [UInt8] {
        var emulator = try EmulatorFactory.make(protocolID: "em4100-ascii", settings: ["variant": "rdm6300"])
        var out = Array(CaptureFormat.headerText(CaptureHeader(reader: reader, profile: "generic/rdm6300-ch340", protocolID: protocolID,
                                                               transport: "serial", line: "9600 8N1")).utf8)
        CaptureFormat.append(CaptureRecord(time: Timestamp(milliseconds: t0), kind: .open), to: &out)
        let end = tags.map(\.to).max() ?? 0
        for tick in 1...Int(end * 10) {
            let seconds = Double(tick) / 10
            let field = tags.filter { $0.from <= seconds && seconds < $0.to }.compactMap { TagID(hex: $0.id).map { FieldTag(id: $0) } }
            let now = Timestamp(milliseconds: t0 + Int64(tick) * 100)
            let bytes = emulator.unsolicited(field: field, now: now)
            if !bytes.isEmpty { CaptureFormat.append(CaptureRecord(time: now, kind: .rx, payload: bytes), to: &out) }
        }
        return out
    }

    struct Workspace {
        let dir = TestPaths.temporaryDirectory("replay")

        func write(_ name: String, _ text: String) throws -> String {
            let path = dir + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = dir + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }

        func config(_ body: String) throws -> String {
            try write("gateway-\(UUID().uuidString.prefix(6)).yaml", """
                gateway: { id: replay, dataDir: "\(dir)/data", devicesDir: "\(repositoryDevices)" }
                debounce: { departAfter: 2s }
                \(body)
                """)
        }

        func replay(_ arguments: [String]) throws -> ExternalCommand {
            try ExternalCommand.run(executable: TestPaths.tagwayExecutable, ["replay"] + arguments)
        }

        func remove() { try? FileManager.default.removeItem(atPath: dir) }
    }

    static let readers = """
        readers:
          - { id: r1, profile: generic/rdm6300-ch340, port: /dev/tagway/r1, readPoint: door }
          - { id: desk, profile: generic/serial-barcode, port: /dev/tagway/desk, readPoint: helpdesk }
        """

    /// A barcode scanner's capture: scans at the given seconds from t0.
    static func barcodeCapture(_ scans: [(at: Double, text: String)]) throws -> [UInt8] {
        let emulator = try EmulatorFactory.make(protocolID: "barcode-serial")
        var out = Array(CaptureFormat.headerText(CaptureHeader(reader: "desk", protocolID: "barcode-serial", transport: "serial")).utf8)
        CaptureFormat.append(CaptureRecord(time: Timestamp(milliseconds: t0), kind: .open), to: &out)
        for scan in scans {
            let bytes = emulator.scan(Scenario.parseScan(scan.text))
            CaptureFormat.append(CaptureRecord(time: Timestamp(milliseconds: t0 + Int64(scan.at * 1000)), kind: .rx, payload: bytes), to: &out)
        }
        return out
    }

    @Test func twoRunsPrintTheSameBytes() throws {
        let space = Workspace()
        defer { space.remove() }
        let config = try space.config(Self.readers)
        let tags = try space.write("tags.tcap", Self.em4100Capture(tags: [("0100E2850E", 0.3, 1.5), ("1A00B3C4D5", 0.5, 3.0)]))
        let scans = try space.write("scans.tcap", Self.barcodeCapture([(0.4, "]C0ASSET-004217"), (1.0, "]E04006381333931")]))
        let first = try space.replay(["--config", config, tags, scans])
        let second = try space.replay(["--config", config, tags, scans])
        #expect(first.status == 0, "\(first.transcript)")
        let lines = first.stdout.split(separator: "\n")
        #expect(lines.count == 6, "\(first.transcript)")  // 2 arrivals, 2 departures, 2 scans
        #expect(first.stdout == second.stdout)
        // Every line is an event as `tagway run --print-events` prints it, on the capture's clock.
        let events = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
        #expect(events.map { $0["type"] as? String } == ["arrived", "observed", "arrived", "observed", "departed", "departed"])
        #expect(events.map { $0["seq"] as? Int } == [1, 2, 3, 4, 5, 6])
        #expect(events.first?["time"] as? String == Timestamp(milliseconds: Self.t0 + 300).iso8601)
        #expect(events.last?["time"] as? String == Timestamp(milliseconds: Self.t0 + 4_900).iso8601)  // last read 2.9 s + departAfter 2 s
        #expect(first.stderr.contains("events: 6 (arrived 2, departed 2, observed 2)"), "\(first.stderr)")
        #expect(first.stderr.contains("decode drops: 0"), "\(first.stderr)")
        // The table is as stable as the JSON.
        let tableA = try space.replay(["--config", config, "--format", "table", tags, scans])
        let tableB = try space.replay(["--config", config, "--format", "table", tags, scans])
        #expect(tableA.status == 0 && tableA.stdout == tableB.stdout && tableA.stdout.contains("arrived  em4100:0100E2850E  at door"),
                "\(tableA.transcript)")
        // Other traffic names its events differently: the ids are seeded from the captures.
        let other = try space.write("other.tcap", Self.em4100Capture(tags: [("0100E2850E", 0.3, 1.6), ("1A00B3C4D5", 0.5, 3.0)]))
        let third = try space.replay(["--config", config, other, scans])
        #expect(third.status == 0)
        #expect(Self.ids(third.stdout).isDisjoint(with: Self.ids(first.stdout)))
    }

    static func ids(_ output: String) -> Set<String> {
        Set(output.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
        })
    }

    @Test func untilEndLeavesTagsPresentAndATimeStopsEarlier() throws {
        let space = Workspace()
        defer { space.remove() }
        let config = try space.config(Self.readers)
        let tags = try space.write("tags.tcap", Self.em4100Capture(tags: [("0100E2850E", 0.3, 1.0), ("1A00B3C4D5", 0.5, 4.0)]))
        let end = try space.replay(["--config", config, "--until", "end", tags])
        #expect(end.status == 0, "\(end.transcript)")
        // The first tag's departure fell due at 2.9 s, before the last record; the second's not.
        #expect(end.stdout.split(separator: "\n").compactMap { Self.type(of: $0) } == ["arrived", "arrived", "departed"])
        #expect(end.stderr.contains("--until end"), "\(end.stderr)")
        let early = try space.replay(["--config", config, "--until", Timestamp(milliseconds: Self.t0 + 400).iso8601, tags])
        #expect(early.stdout.split(separator: "\n").compactMap { Self.type(of: $0) } == ["arrived"], "\(early.transcript)")
        let bad = try space.replay(["--config", config, "--until", "tuesday", tags])
        #expect(bad.status != 0 && bad.stderr.contains("--until 'tuesday'"), "\(bad.transcript)")
    }

    static func type(of line: Substring) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["type"] as? String
    }

    @Test func aZoneChangeChangesTheEvents() throws {
        let space = Workspace()
        defer { space.remove() }
        let tags = try space.write("tags.tcap", Self.em4100Capture(tags: [("0100E2850E", 0.3, 1.5)]))
        let before = try space.replay(["--config", try space.config(Self.readers), tags])
        let after = try space.replay(["--config", try space.config(Self.readers + "\nzones:\n  - { id: dock-3, readPoints: [door] }\n"), tags])
        #expect(before.status == 0 && after.status == 0, "\(before.transcript)\n\(after.transcript)")
        #expect(before.stdout.contains("\"to\":\"door\"") && !before.stdout.contains("dock-3"), "\(before.stdout)")
        #expect(after.stdout.contains("\"to\":\"dock-3\"") && after.stdout.contains("\"from\":\"dock-3\""), "\(after.stdout)")
    }

    /// A filter tried on a capture: the excluded card makes no event, the other keeps its events,
    /// and the summary says how many reads the filter dropped and why.
    @Test func aFilterChangeDropsItsTagsAndTheSummaryCountsThem() throws {
        let space = Workspace()
        defer { space.remove() }
        let tags = try space.write("tags.tcap", Self.em4100Capture(tags: [("0100E2850E", 0.3, 1.5), ("1A00B3C4D5", 0.5, 1.5)]))
        let before = try space.replay(["--config", try space.config(Self.readers), tags])
        let filtered = try space.replay(["--config", try space.config(Self.readers + "\nfilters:\n  door: { exclude: [{ keyPrefix: \"em4100:1A00\" }] }\n"), tags])
        #expect(before.status == 0 && filtered.status == 0, "\(before.transcript)\n\(filtered.transcript)")
        #expect(before.stdout.contains("em4100:1A00B3C4D5") && !before.stderr.contains("filtered:"), "\(before.transcript)")
        #expect(!filtered.stdout.contains("em4100:1A00B3C4D5"), "\(filtered.stdout)")
        #expect(filtered.stdout.split(separator: "\n").compactMap(Self.type) == ["arrived", "departed"], "\(filtered.stdout)")
        // The RDM6300 repeats the card every 100 ms from 0.5 s to 1.4 s: ten reads, all excluded.
        #expect(filtered.stderr.contains("filtered: 10 reads (excluded 10)"), "\(filtered.stderr)")
    }

    @Test func aCaptureOfAnotherReaderOrProtocolIsRefusedNamingBoth() throws {
        let space = Workspace()
        defer { space.remove() }
        let config = try space.config(Self.readers)
        let ghost = try space.write("ghost.tcap", Self.em4100Capture(reader: "ghost", tags: [("0100E2850E", 0.3, 1.5)]))
        let unknown = try space.replay(["--config", config, ghost])
        #expect(unknown.status == 2, "\(unknown.transcript)")
        #expect(unknown.stderr.contains("ghost.tcap: captured from reader 'ghost'") && unknown.stderr.contains("r1, desk")
                    && unknown.stderr.contains("--map ghost=READER"), "\(unknown.stderr)")
        #expect(unknown.stdout.isEmpty)
        // Mapped to a configured reader of its protocol, it replays as that reader.
        let mapped = try space.replay(["--config", config, "--map", "ghost=r1", ghost])
        #expect(mapped.status == 0 && mapped.stdout.contains("\"reader\":\"r1\""), "\(mapped.transcript)")
        let mismatch = try space.write("m100.tcap", Self.em4100Capture(tags: [("0100E2850E", 0.3, 1.5)], protocolID: "magicrf-m100"))
        let refused = try space.replay(["--config", config, mismatch])
        #expect(refused.status == 2, "\(refused.transcript)")
        #expect(refused.stderr.contains("reader 'r1' was captured speaking magicrf-m100")
                    && refused.stderr.contains("reader 'r1' speaks em4100-ascii"), "\(refused.stderr)")
        let badMap = try space.replay(["--config", config, "--map", "ghost", ghost])
        #expect(badMap.status == 2 && badMap.stderr.contains("--map 'ghost'"), "\(badMap.transcript)")
    }

    @Test func aDamagedCaptureIsRefusedWithItsLine() throws {
        let space = Workspace()
        defer { space.remove() }
        let config = try space.config(Self.readers)
        var text = String(decoding: try Self.em4100Capture(tags: [("0100E2850E", 0.3, 1.5)]), as: UTF8.self)
        text += "1764698409000 rx 0z\n"
        let damaged = try space.write("damaged.tcap", text)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        let result = try space.replay(["--config", config, damaged])
        #expect(result.status == 2, "\(result.transcript)")
        #expect(result.stderr.contains("damaged.tcap:\(lines): '0z' is not hex"), "\(result.stderr)")
        // A kept log is for one replay: a second one into it is refused, not mixed in.
        let good = try space.write("good.tcap", Self.em4100Capture(tags: [("0100E2850E", 0.3, 1.5)]))
        let kept = try space.replay(["--config", config, "--log", space.dir + "/kept", good])
        #expect(kept.status == 0 && kept.stderr.contains("event log: \(space.dir)/kept/events.sqlite"), "\(kept.transcript)")
        let again = try space.replay(["--config", config, "--log", space.dir + "/kept", good])
        #expect(again.status == 3 && again.stderr.contains("already holds 2 events"), "\(again.transcript)")
        let missing = try space.replay(["--config", config, space.dir + "/none.tcap"])
        #expect(missing.status == 2 && missing.stderr.contains("none.tcap: cannot open it"), "\(missing.transcript)")
    }

    /// A keyboard-wedge scanner's HID reports (the emulator's), replayed through the HID decoding.
    @Test func hidReportsReplayAsScans() throws {
        let space = Workspace()
        defer { space.remove() }
        let config = try space.config("""
            readers:
              - { id: till, profile: honeywell/ms7120-keyboard, readPoint: till-1 }
            """)
        let emulator = KeyboardWedgeEmulator()
        var out = Array(CaptureFormat.headerText(CaptureHeader(reader: "till", profile: "honeywell/ms7120-keyboard", protocolID: "hid-keyboard",
                                                               transport: "usb-hid")).utf8)
        CaptureFormat.append(CaptureRecord(time: Timestamp(milliseconds: Self.t0), kind: .open), to: &out)
        var time = Self.t0 + 100
        for report in emulator.reports(for: BarcodeScan(data: Array("ASSET-77".utf8))) {
            CaptureFormat.append(CaptureRecord(time: Timestamp(milliseconds: time), kind: .hid, payload: report), to: &out)
            time += 4
        }
        // A scan cut short (no Enter): at the profile's 50 ms inter-key deadline it is dropped and
        // counted, as it would be live; the deadline falls after the last record.
        for report in emulator.reports(for: BarcodeScan(data: Array("ASSET-78".utf8))).dropLast(2) {
            time += 4
            CaptureFormat.append(CaptureRecord(time: Timestamp(milliseconds: time + 1000), kind: .hid, payload: report), to: &out)
        }
        let capture = try space.write("till.tcap", out)
        let result = try space.replay(["--config", config, capture])
        #expect(result.status == 0, "\(result.transcript)")
        let keys = result.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return (event["asset"] as? [String: Any])?["key"] as? String
        }
        #expect(keys.count == 1 && keys[0].contains("ASSET-77"), "\(result.transcript)")
        #expect(result.stderr.contains("scan problems: 1"), "\(result.stderr)")
    }
}
