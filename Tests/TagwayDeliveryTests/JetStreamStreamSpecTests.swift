import Testing
import TagwayDelivery

/// The start-up decision on the stream: create, require, use with warnings, refuse.
@Suite struct JetStreamStreamSpecTests {
    let spec = JetStreamStreamSpec(name: "TAGWAY", subjects: ["tagway.>"], replicas: 3, maxAge: .seconds(86_400),
                                   duplicateWindow: .seconds(300))
    let template = JetStreamSubject.defaultTemplate

    func same() -> JetStreamStreamSpec.Existing {
        .init(subjects: ["tagway.>"], replicas: 3, maxAge: .seconds(86_400), duplicateWindow: .seconds(300))
    }

    @Test func missingIsCreatedOrRequired() {
        #expect(spec.decide(existing: nil, template: template, site: "hq") == .create)
        var required = spec
        required.create = false
        guard case .missing(let text) = required.decide(existing: nil, template: template, site: "hq") else {
            Issue.record("a missing stream with create: false is not .missing")
            return
        }
        #expect(text.contains("TAGWAY") && text.contains("create"))
    }

    @Test func theSameStreamIsUsedWithoutWarnings() {
        #expect(spec.decide(existing: same(), template: template, site: "hq") == .use(warnings: []))
    }

    @Test func eachDifferenceIsOneWarning() {
        var existing = same()
        existing.replicas = 1
        existing.maxAge = nil
        existing.duplicateWindow = .seconds(120)
        existing.subjects = ["tagway.>", "other.>"]
        guard case .use(let warnings) = spec.decide(existing: existing, template: template, site: "hq") else {
            Issue.record("a stream that takes the subjects is not used")
            return
        }
        #expect(warnings.count == 4)
        #expect(warnings.contains { $0.contains("1 replicas") })
        #expect(warnings.contains { $0.contains("stored twice") })
    }

    @Test func aLongerDuplicateWindowIsFine() {
        var existing = same()
        existing.duplicateWindow = .seconds(3600)
        #expect(spec.decide(existing: existing, template: template, site: "hq") == .use(warnings: []))
    }

    @Test func aStreamWindowShorterThanTheWorstRetryIsWarnedAbout() {
        var existing = same()
        existing.duplicateWindow = .seconds(600)
        var spec = self.spec
        spec.duplicateWindow = .seconds(60)
        guard case .use(let warnings) = spec.decide(existing: existing, template: template, site: "hq", worstRetry: .seconds(900)) else {
            Issue.record("a stream that takes the subjects is not used")
            return
        }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("worst retry") == true)
        #expect(spec.decide(existing: existing, template: template, site: "hq", worstRetry: .seconds(70)) == .use(warnings: []))
    }

    @Test func aStreamThatDoesNotTakeTheSubjectsIsUnusable() {
        var existing = same()
        existing.subjects = ["tagway.elsewhere.>"]
        guard case .unusable(let text) = spec.decide(existing: existing, template: template, site: "hq") else {
            Issue.record("a stream that cannot take the subjects is used")
            return
        }
        #expect(text.contains("tagway.>"))
    }

    @Test func worstRetryIsTheLongestBackoffPlusTheAckWait() {
        let policy = DeliveryPolicy(retryInitial: .milliseconds(500), retryMax: .seconds(60))
        #expect(JetStreamStreamSpec.worstRetry(policy: policy, ackTimeout: .seconds(10)) == .seconds(70))
    }
}
