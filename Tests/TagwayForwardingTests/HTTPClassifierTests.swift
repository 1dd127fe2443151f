import Testing
import TagwayModel
import TagwayOutbox

@Suite struct HTTPClassifierTests {
    let now = ISO8601Millis.parse("2026-11-26T10:00:00.000Z")!

    @Test(arguments: [200, 201, 202, 204, 299])
    func twoHundredsAreDelivered(_ status: Int) {
        #expect(HTTPDeliveryClassifier.outcome(status: status, retryAfter: nil, now: now) == .delivered)
    }

    @Test func conflictMeansAlreadyDelivered() {
        #expect(HTTPDeliveryClassifier.outcome(status: 409, retryAfter: nil, now: now) == .alreadyDelivered)
    }

    @Test(arguments: [408, 425, 429, 500, 502, 503, 504])
    func transientAnswersAreRetried(_ status: Int) {
        guard case .retry(let reason, let after) = HTTPDeliveryClassifier.outcome(status: status, retryAfter: "7", now: now) else {
            Issue.record("HTTP \(status) should be retried")
            return
        }
        #expect(reason.hasPrefix("HTTP \(status)"))
        #expect(after == .seconds(7))
    }

    @Test(arguments: [400, 401, 403, 404, 410, 413, 422])
    func otherClientErrorsStopTheSink(_ status: Int) {
        guard case .rejected(let reason) = HTTPDeliveryClassifier.outcome(status: status, retryAfter: nil, body: "bad token", now: now) else {
            Issue.record("HTTP \(status) should stop the sink")
            return
        }
        #expect(reason.contains("HTTP \(status): bad token"))
    }

    @Test func retryAfterAsAnHTTPDate() {
        #expect(HTTPDeliveryClassifier.parseRetryAfter("Thu, 26 Nov 2026 10:01:30 GMT", now: now) == .seconds(90))
        #expect(HTTPDeliveryClassifier.parseRetryAfter("Thu, 26 Nov 2026 09:00:00 GMT", now: now) == .zero)
        #expect(HTTPDeliveryClassifier.parseRetryAfter("soon", now: now) == nil)
        #expect(HTTPDeliveryClassifier.parseRetryAfter(" 120 ", now: now) == .seconds(120))
    }
}
