import Foundation
import Testing

/// Scenario fixtures: `Fixtures/NAME.yaml` (zones, rules, movement), `NAME.reads` (what the
/// readers saw) and `NAME.events` (what the engine must report), one event per line in the
/// harness's form. Reads are `T read POINT TAG [RSSI]`, `T scan POINT CODE` or `T advance`;
/// scans are held off for 1 s, the debouncer window is 2 s.
@Suite struct ScenarioFixtureTests {
    static let names = ["dock-door", "corridor", "storage-room", "helpdesk-scan"]

    static func fixture(_ name: String, _ ext: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: ext))
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    @Test(arguments: names)
    func scenario(_ name: String) throws {
        var h = try EngineHarness(yaml: try Self.fixture(name, "yaml"), file: "\(name).yaml", scanHoldoff: .seconds(1))
        for (number, line) in Self.lines(try Self.fixture(name, "reads")).enumerated() {
            let f = line.split(separator: " ").map(String.init)
            let time = try #require(Int64(f[0]), "\(name).reads line \(number): \(line)")
            switch f[1] {
            case "read": h.read(time, f[2], f[3], rssi: f.count > 4 ? Int(f[4]) : nil)
            case "scan": h.scan(time, f[2], f[3])
            case "advance": h.advance(time)
            default: Issue.record("\(name).reads: unknown step '\(line)'")
            }
        }
        let actual = h.take()
        let expected = Self.lines(try Self.fixture(name, "events"))
        #expect(actual == expected, "\(name): actual events:\n\(actual.joined(separator: "\n"))")
    }
}
