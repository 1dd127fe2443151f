import Foundation
import TagwayModel
import TagwaySessions
import Testing
@testable import TagwayGateway

/// What a network reader says about itself reaches the status JSON as `details`, with the age of
/// its last sign of life and its report rate computed by status.
@Suite struct ReaderDetailsStatusTests {
    static let t0 = Timestamp(milliseconds: 1_764_000_000_000)

    static func object(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func detailsAreInTheReadersStatus() throws {
        let board = HealthBoard()
        board.register("dock3", path: "10.1.2.3:5084")
        board.apply(.details(ReaderDetails(model: "Impinj R700", firmware: "8.4.1", antennaPorts: 4, antennasConnected: [1, 3],
                                           lastHeardFrom: Self.t0, clockSkew: .milliseconds(-42), readerClockUsed: true, reports: 10)),
                    to: "dock3")
        let health = try #require(board.snapshot.first)
        let status = try Self.object(health.json(at: Self.t0 + .milliseconds(2_500)))
        let details = try #require(status["details"] as? [String: Any])
        #expect(details["model"] as? String == "Impinj R700")
        #expect(details["firmware"] as? String == "8.4.1")
        #expect(details["antennaPorts"] as? Int == 4)
        #expect(details["antennasConnected"] as? [Int] == [1, 3])
        #expect(details["keepaliveAgeSeconds"] as? Double == 2.5)
        #expect(details["clockSkewMs"] as? Int == -42)
        #expect(details["readerClockUsed"] as? Bool == true)
        #expect(details["reportsPerSecond"] == nil, "one total is no rate yet")
    }

    @Test func aReaderThatSaysNothingHasNoDetails() throws {
        let board = HealthBoard()
        board.register("desk", path: "/dev/ttyUSB0")
        let before = try #require(board.snapshot.first)
        #expect(try Self.object(before.json(at: Self.t0))["details"] == nil)
        board.apply(.details(ReaderDetails(model: "x")), to: "desk")
        let health = try #require(board.snapshot.first)
        let details = try #require(try Self.object(health.json(at: Self.t0))["details"] as? [String: Any])
        #expect(details.keys.sorted() == ["model"], "only what the reader said")
    }

    @Test func theReportRateComesFromSuccessiveTotals() throws {
        let board = HealthBoard()
        board.register("dock3", path: "10.1.2.3:5084")
        func heard(_ reports: Int, atSecond second: Int64) {
            board.apply(.details(ReaderDetails(lastHeardFrom: Self.t0 + .seconds(second), reports: reports)), to: "dock3")
        }
        heard(100, atSecond: 0)
        heard(130, atSecond: 4)
        #expect(board.snapshot.first?.reportRate.perSecond == nil, "within the first window")
        heard(200, atSecond: 10)
        #expect(board.snapshot.first?.reportRate.perSecond == 10)
        heard(230, atSecond: 25)
        #expect(board.snapshot.first?.reportRate.perSecond == 2)
        let health = try #require(board.snapshot.first)
        let status = try Self.object(health.json(at: Self.t0 + .seconds(25)))
        #expect((status["details"] as? [String: Any])?["reportsPerSecond"] as? Double == 2)
        heard(5, atSecond: 30)  // a new connection's conversation counts from zero
        heard(25, atSecond: 40)
        #expect(board.snapshot.first?.reportRate.perSecond == 2, "a fresh window after the total went down")
    }

    @Test func aClockTooFarOffIsShownAsNotUsed() throws {
        var details = ReaderDetails(clockSkew: .seconds(90), readerClockUsed: false)
        details.lastHeardFrom = Self.t0 + .seconds(1)
        let object = try Self.object(details.json(reportsPerSecond: nil, now: Self.t0))
        #expect(object["clockSkewMs"] as? Int == 90_000)
        #expect(object["readerClockUsed"] as? Bool == false)
        #expect(object["keepaliveAgeSeconds"] as? Double == 0, "a time ahead of now is no negative age")
    }
}
