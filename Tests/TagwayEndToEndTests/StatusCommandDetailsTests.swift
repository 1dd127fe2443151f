import Foundation
import Testing
import TagwayTestSupport

/// `tagway status` shows what an LLRP reader said about itself under the reader's line.
@Suite struct StatusCommandDetailsTests {
    @Test func aNetworkReadersDetailsAreOneLineUnderIt() throws {
        let dir = makeTemporaryDirectory("status-details")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let status = """
            {"gateway":"gw","time":"2026-12-01T10:00:00.000Z","pid":\(getpid()),"lastSeq":3,"log":{},
             "readers":[{"reader":"dock3","path":"10.1.2.3:5084","connected":true,"frames":12,"errors":{},
                         "details":{"model":"Impinj R700","firmware":"8.4.1","antennaPorts":4,"antennasConnected":[1,2],
                                    "keepaliveAgeSeconds":2.5,"clockSkewMs":-42,"readerClockUsed":true,"reportsPerSecond":3.2}},
                        {"reader":"dock4","path":"10.1.2.4:5084","connected":true,"frames":0,"errors":{},
                         "details":{"clockSkewMs":90000,"readerClockUsed":false}},
                        {"reader":"desk","path":"/dev/ttyUSB0","connected":true,"frames":1,"errors":{}}],
             "sinks":[],"retention":{"dropped":0}}
            """
        try status.write(toFile: dir + "/status.json", atomically: false, encoding: .utf8)
        let result = try runTagway(["status", "--data-dir", dir])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let dock3 = try #require(lines.firstIndex { $0.contains("reader dock3") })
        #expect(lines[dock3 + 1] == "    Impinj R700, firmware 8.4.1  antennas connected: 1,2 of 4  heard from 2.5 s ago"
            + "  clock -42 ms (its timestamps used)  3.2 reports/s", "\(result.stdout)")
        let dock4 = try #require(lines.firstIndex { $0.contains("reader dock4") })
        #expect(lines[dock4 + 1] == "    clock +90000 ms (TOO FAR OFF: gateway clock used)", "\(result.stdout)")
        let desk = try #require(lines.firstIndex { $0.contains("reader desk") })
        #expect(desk == lines.count - 1 || !lines[desk + 1].hasPrefix("    "), "a serial reader has no details line")
    }
}
