import Foundation
import Testing
import TagwayConfig

/// `capture:`: defaults that bound the disk, sizes with units, readers that exist, located errors.
@Suite struct CaptureConfigTests {
    static func parse(_ capture: String) throws(ConfigErrors) -> GatewayConfig {
        try GatewayConfigLoader.parse("""
            gateway: { id: gw, dataDir: /var/lib/tagway }
            readers:
              - { id: door, profile: magicrf/m100, port: /dev/ttyUSB0 }
              - { id: desk, profile: generic/serial-barcode, port: /dev/ttyUSB1 }
            \(capture)
            """, file: "/etc/tagway/gw.yaml", devicesDir: repositoryDevices)
    }

    static func errors(_ capture: String) -> [ConfigError] {
        do {
            _ = try parse(capture)
            return []
        } catch {
            return error.errors
        }
    }

    @Test func absentMeansNoCaptureAndADirAloneTakesTheDefaults() throws {
        #expect(try Self.parse("").capture == nil)
        let capture = try #require(try Self.parse("capture: { dir: capture }").capture)
        #expect(capture.dir == "/etc/tagway/capture")
        #expect(capture.maxFileBytes == 16 << 20)
        #expect(capture.maxFiles == 8)
        #expect(capture.readers == nil)
        #expect(capture.records(reader: "door") && capture.records(reader: "desk"))
    }

    @Test func sizesTakeUnitsAndReadersNarrowTheRecording() throws {
        let capture = try #require(try Self.parse("""
            capture: { dir: /srv/capture, maxFileBytes: 512KiB, maxFiles: 3, maxBufferBytes: 2M, readers: [door] }
            """).capture)
        #expect(capture.maxFileBytes == 512 * 1024)
        #expect(capture.maxFiles == 3)
        #expect(capture.maxBufferBytes == 2 << 20)
        #expect(capture.records(reader: "door"))
        #expect(!capture.records(reader: "desk"))
        let report = try Self.parse("capture: { dir: /srv/capture, maxFiles: 3, readers: [door] }").checkReport(file: "gw.yaml")
        #expect(report.last == "  capture of reader(s) door in /srv/capture (3 files of 16777216 bytes per reader)")
    }

    @Test func mistakesAreLocatedWithWhatIsExpected() {
        let unknownReader = Self.errors("capture: { dir: /srv/c, readers: [door, dock] }")
        #expect(unknownReader.count == 1)
        #expect(unknownReader.first?.line == 5)
        #expect(unknownReader.first?.key == "capture.readers")
        #expect(unknownReader.first?.message.contains("'dock' is not a configured reader") == true)
        #expect(unknownReader.first?.expected?.contains("door, desk") == true)

        let noDir = Self.errors("capture: { maxFiles: 2 }")
        #expect(noDir.first?.message == "missing key 'dir'")

        let tooSmall = Self.errors("capture: { dir: /srv/c, maxFileBytes: 100 }")
        #expect(tooSmall.first?.key == "capture.maxFileBytes")
        #expect(tooSmall.first?.expected?.contains("16MiB") == true)

        for bad in ["99999999999999999999GiB", "-1", "1.5MiB", "lots", "16 TiB"] {
            let found = Self.errors("capture: { dir: /srv/c, maxFileBytes: \"\(bad)\" }")
            #expect(found.count == 1, "\(bad)")
            #expect(found.first?.key == "capture.maxFileBytes", "\(bad)")
        }
        #expect(Self.errors("capture: { dir: /srv/c, maxFiles: 0 }").first?.key == "capture.maxFiles")
        #expect(Self.errors("capture: { dir: /srv/c, keep: 2 }").first?.message.contains("unknown key") == true)
    }
}
