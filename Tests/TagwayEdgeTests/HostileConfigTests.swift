import Foundation
import TagwayTestSupport
import Testing
@testable import TagwayConfig

/// Issue 10: no configuration crashes or hangs the loader. Every value out of range, every
/// resource limit passed, is a located error (file:line:column: key: what; expected what).
@Suite struct HostileConfigTests {
    static let base = """
        gateway: { id: gw, dataDir: /tmp/x }
        readers:
          - { id: r1, profile: magicrf/m100, port: /dev/a }

        """

    func errors(_ yaml: String, file: String = "/etc/tagway/gw.yaml") -> [String] {
        do {
            _ = try GatewayConfigLoader.parse(yaml, file: file, devicesDir: repositoryDevices)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test(arguments: ["1e30s", ".inf", "-.inf", ".nan", "1e300s", "9999999999999h", "-5s", "9223371000000000s", "31d", "inf", "nan s"])
    func aDepartAfterTheEngineCannotAddIsLocated(value: String) {
        let found = errors(Self.base + "movement: { departAfter: \(value) }\n")
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.hasPrefix("/etc/tagway/gw.yaml:4:26: movement.departAfter: '\(value)' ") == true, "\(found)")
        #expect(found.first?.hasSuffix("expected a duration such as 500ms, 10s, 2m, above 0 up to 30d") == true, "\(found)")
    }

    @Test func eachDurationHasItsOwnBound() {
        let found = errors(Self.base + """
            debounce: { window: 2h, scanHoldoff: 25h, departAfter: 0s }
            movement: { holdoff: 1e30s }
            sinks:
              - id: hook
                webhook: { url: "https://x.example/h", timeout: 11m }
                batch: { linger: 61m }
                retry: { initial: 1e300s, max: .inf }
            retention: { maxAge: 36501d }
            """)
        for expected in [
            "gw.yaml:4:21: debounce.window: '2h' is too long; expected a duration such as 500ms, 10s, 2m, above 0 up to 1h",
            "gw.yaml:4:38: debounce.scanHoldoff: '25h' is too long; expected a duration such as 500ms, 10s, 2m, from 0 up to 24h",
            "gw.yaml:4:56: debounce.departAfter: '0s' is too short",
            "gw.yaml:5:22: movement.holdoff: '1e30s' is too long",
            "gw.yaml:8:53: sinks[0].webhook.timeout: '11m' is too long; expected a duration such as 500ms, 10s, 2m, above 0 up to 10m",
            "gw.yaml:9:22: sinks[0].batch.linger: '61m' is too long",
            "gw.yaml:10:23: sinks[0].retry.initial: '1e300s' is too long",
            "gw.yaml:10:36: sinks[0].retry.max: '.inf' is not a finite duration",
            "gw.yaml:11:22: retention.maxAge: '36501d' is too long",
        ] {
            #expect(found.contains { $0.contains(expected) }, "\(expected) not in \(found)")
        }
        #expect(found.count == 9, "\(found)")
    }

    @Test func hugeNumbersAreRangeErrorsNotTraps() {
        let found = errors("""
            gateway: { id: gw, dataDir: /tmp/x }
            debounce: { maxPresent: 99999999999999999999999, ringCapacity: 1e30, arriveAfterReads: -1 }
            readers:
              - { id: r1, profile: magicrf/m100, port: /dev/a, serial: { baud: 1e30, dataBits: 9223372036854775807, stopBits: -9223372036854775808 } }
            movement: { threshold: 1e308, slope: -1e999, floor: .nan, maxAssets: 0x7fffffffffffffffff, moveAfterReads: 9223372036854775807 }
            sinks:
              - { id: m, mqtt: { host: b, port: 65536, keepAlive: 1e10s }, batch: { maxEvents: 1e9 }, retry: { maxAttempts: 99999999999 } }
            retention: { maxEvents: 9223372036854775807 }
            api: { listen: "127.0.0.1:99999999999999999999" }
            """)
        for expected in [
            "debounce.maxPresent: '99999999999999999999999' is not a whole number",
            "debounce.ringCapacity: '1e30' is not a whole number",
            "debounce.arriveAfterReads: -1 is out of range",
            "readers[0].serial.baud: '1e30' is not a whole number",
            "readers[0].serial.dataBits: 9223372036854775807 is out of range",
            "readers[0].serial.stopBits: -9223372036854775808 is out of range",
            "movement.threshold: 1e308 is out of range",
            "movement.slope: '-1e999' is not a number",
            "movement.floor: '.nan' is not a number",
            "movement.maxAssets: '0x7fffffffffffffffff' is not a whole number",
            "movement.moveAfterReads: 9223372036854775807 is out of range",
            "sinks[0].mqtt.port: 65536 is out of range",
            "sinks[0].mqtt.keepAlive: '1e10s' is too long",
            "sinks[0].batch.maxEvents: '1e9' is not a whole number",
            "sinks[0].retry.maxAttempts: 99999999999 is out of range",
            "retention.maxEvents: 9223372036854775807 is out of range",
            "api.listen: '127.0.0.1:99999999999999999999' is not an address",
        ] {
            #expect(found.contains { $0.contains(expected) }, "\(expected) not in \(found)")
        }
    }

    @Test func overlongTextAndTooManyEntriesAreLocated() {
        let longID = String(repeating: "a", count: 300)
        let longPath = "/dev/" + String(repeating: "p", count: 5000)
        let manyReaders = (0..<300).map { "  - { id: r\($0), profile: magicrf/m100, port: /dev/p\($0) }" }.joined(separator: "\n")
        let found = errors("""
            gateway: { id: \(longID), dataDir: \(longPath) }
            readers:
            \(manyReaders)
            """)
        #expect(found.contains { $0.hasPrefix("/etc/tagway/gw.yaml:1:16: gateway.id: the text is 300 characters long; expected at most 256 characters") }, "\(found.prefix(3))")
        #expect(found.contains { $0.contains("gateway.dataDir: the text is 5005 characters long; expected at most 4096 characters") }, "\(found.prefix(3))")
        #expect(found.contains { $0.hasPrefix("/etc/tagway/gw.yaml:3:3: readers: the list has 300 entries; expected at most 256") }, "\(found.prefix(3))")
    }

    @Test func aTenMegabyteReaderIDIsRefusedBeforeParsing() {
        let huge = String(repeating: "x", count: 10 << 20)
        let found = errors(Self.base.replacingOccurrences(of: "id: r1", with: "id: \(huge)"))
        #expect(found == ["/etc/tagway/gw.yaml:0:0: the text is \(10 << 20 + Self.base.utf8.count - 2) bytes; expected at most 1048576 bytes (1 MiB)"])
    }

    @Test func mqttAndHIDSettingsReportEveryMistakeNotJustTheFirst() {
        let found = errors("""
            gateway: { id: gw, dataDir: /tmp/x }
            readers:
              - { id: kb, profile: honeywell/ms7120-keyboard, settings: { keymap: klingon, interKeyTimeoutMs: 0, timeoutEndsScan: maybe } }
            sinks:
              - { id: m, mqtt: { port: 0, qos: 2, tls: sometimes } }
            """)
        for expected in [
            "readers[0].settings: setting keymap: 'klingon' is not",
            "readers[0].settings: setting interKeyTimeoutMs: '0' is not a whole number from 1 to 10000",
            "readers[0].settings: setting timeoutEndsScan: 'maybe' is not true or false",
            "gw.yaml:5:20: sinks[0].mqtt: missing key 'host'",
            "sinks[0].mqtt.port: 0 is out of range",
            "sinks[0].mqtt.qos: qos 2 is not supported",
            "sinks[0].mqtt.tls: is the value 'sometimes'",
        ] {
            #expect(found.contains { $0.contains(expected) }, "\(expected) not in \(found)")
        }
        #expect(found.count == 7, "\(found)")
    }

    /// The entry point the libFuzzer target calls: random edits of a valid file never trap.
    @Test func randomEditsOfAValidFileNeverTrap() {
        let seed = Array("""
            gateway: { id: gw, dataDir: /tmp/x }
            debounce: { departAfter: 30s, window: 1500ms, maxPresent: 100 }
            readers:
              - { id: r1, profile: magicrf/m100, port: /dev/a, antennas: { 1: in, 2: out }, serial: { baud: 115200 } }
            zones:
              - &z { id: dock, door: { inside: [in], outside: [out] } }
            rules:
              - { id: x, match: { scheme: giai }, alertOn: [passed-out] }
            movement: { holdoff: 1s, threshold: 6dB }
            sinks:
              - { id: m, mqtt: { host: b, password: env:P }, batch: { maxEvents: 10, linger: 1s } }
            """.utf8)
        let alphabet = Array("0123456789.-e:,{}[]&*!|>'\"#?\n -xs".utf8) + [0xFF, 0x00]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var loaded = 0
        for _ in 0..<300 {
            var bytes = seed
            for _ in 0...(next() % 4) {
                let at = next() % bytes.count
                switch next() % 3 {
                case 0: bytes[at] = alphabet[next() % alphabet.count]
                case 1: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + next() % 40)], at: next() % bytes.count)
                default: bytes.remove(at: at)
                }
            }
            if (try? GatewayConfigLoader.parse(String(decoding: bytes, as: UTF8.self), file: "f.yaml", devicesDir: repositoryDevices)) != nil {
                loaded += 1
            }
        }
        // Some edits keep the file valid, most do not; neither kind traps.
        #expect(loaded > 0 && loaded < 300)
    }
}
