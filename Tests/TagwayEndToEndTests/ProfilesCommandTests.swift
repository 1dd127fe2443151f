import Foundation
import Testing
import TagwayTestSupport

/// `tagway profiles` names the USB-serial bridges a serial reader ships on, so the profile for an
/// adapter `lsusb` shows can be found; the JSON form carries them for scripts.
@Suite struct ProfilesCommandTests {
    @Test func aSerialProfileListsItsBridgesInTextAndJSON() throws {
        let text = try ExternalCommand.run(executable: TestPaths.tagwayExecutable, ["profiles", "--devices", repositoryDevices])
        #expect(text.status == 0, "\(text.transcript)")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        let m100 = try #require(lines.firstIndex { $0.hasPrefix("magicrf/m100 ") }, "\(text.stdout)")
        #expect(m100 + 1 < lines.count && lines[m100 + 1].contains("on USB-serial CH340 1a86:7523"), "\(text.stdout)")
        // A USB HID reader has no bridge line.
        let zebra = try #require(lines.firstIndex { $0.hasPrefix("zebra/ls2208-keyboard ") })
        #expect(zebra + 1 == lines.count || !lines[zebra + 1].contains("on USB-serial"), "\(text.stdout)")

        let json = try ExternalCommand.run(executable: TestPaths.tagwayExecutable, ["profiles", "--json", "--devices", repositoryDevices])
        #expect(json.status == 0, "\(json.transcript)")
        let objects = try json.stdout.split(separator: "\n").map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let entry = try #require(objects.first { $0["id"] as? String == "magicrf/m100" })
        let bridges = try #require(entry["bridges"] as? [[String: String]])
        #expect(bridges.contains { $0["usb"] == "1a86:7523" && $0["name"] == "CH340" }, "\(bridges)")
        #expect(objects.first { $0["id"] as? String == "zebra/ls2208-keyboard" }?["bridges"] == nil)
    }
}
