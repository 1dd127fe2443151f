import Testing
import TagwayDelivery
import TagwayModel

/// Subjects from the template: placeholders filled, values that cannot add tokens or wildcards,
/// and the checks of templates, stream filters and coverage.
@Suite struct JetStreamSubjectTests {
    func event(_ type: EventType = .arrived, gateway: String = "dock-east", to: String? = "dock-3", from: String? = nil,
               readPoint: String? = "door3-in", reader: String? = nil) -> MovementEvent {
        MovementEvent(id: "01J0000000000000000000000A", type: type, time: Timestamp(milliseconds: 0), gateway: gateway,
                      asset: AssetRef(key: "k", scheme: "raw", raw: "k"), from: from, to: to, readPoint: readPoint, reader: reader)
    }

    @Test func theDefaultTemplate() {
        #expect(JetStreamSubject.render(JetStreamSubject.defaultTemplate, event(), site: "hq") == "tagway.hq.dock-east.arrived")
    }

    @Test func valuesCannotAddTokensOrWildcards() {
        let e = event(gateway: "a.b *>", to: "zone 1", reader: "")
        #expect(JetStreamSubject.render("t.{gateway}.{zone}.{reader}.{readPoint}", e, site: "s") == "t.a_b___.zone_1.-.door3-in")
        #expect(JetStreamSubject.render("t.{site}", e, site: "main site.2") == "t.main_site_2")
        #expect(JetStreamSubject.sanitize("tab\there") == "tab_here")
    }

    @Test func aDepartureRoutesByTheZoneItLeft() {
        let e = event(.departed, to: nil, from: "it-storage")
        #expect(JetStreamSubject.render("{type}.{zone}", e, site: "s") == "departed.it-storage")
    }

    @Test func mqttTopicsUseTheSameFillerWithTheirOwnRules() {
        let e = event(gateway: "a/b")
        #expect(SubjectTemplate.render("x/{gateway}/{site}", e, site: nil) { v in
            guard let v, !v.isEmpty else { return "-" }
            return String(v.map { "/+#".contains($0) ? "_" : $0 })
        } == "x/a_b/-")
    }

    @Test func templateProblems() {
        #expect(JetStreamSubject.problem(inTemplate: JetStreamSubject.defaultTemplate) == nil)
        #expect(JetStreamSubject.problem(inTemplate: "tagway.{gw}") != nil)
        #expect(JetStreamSubject.problem(inTemplate: "tagway..x") != nil)
        #expect(JetStreamSubject.problem(inTemplate: "tagway.>") != nil, "a published subject has no wildcard")
        #expect(JetStreamSubject.problem(inTemplate: "tagway.a b") != nil)
        #expect(JetStreamSubject.problem(inTemplate: "") != nil)
    }

    @Test func filterProblems() {
        #expect(JetStreamSubject.problem(inSubject: "tagway.>", wildcards: true) == nil)
        #expect(JetStreamSubject.problem(inSubject: "tagway.*.x", wildcards: true) == nil)
        #expect(JetStreamSubject.problem(inSubject: "tagway.>.x", wildcards: true) != nil)
        #expect(JetStreamSubject.problem(inSubject: "tagway.a*", wildcards: true) != nil)
    }

    @Test func matching() {
        #expect(JetStreamSubject.matches(filter: "tagway.>", subject: "tagway.hq.gw.arrived"))
        #expect(!JetStreamSubject.matches(filter: "tagway.>", subject: "tagway"))
        #expect(JetStreamSubject.matches(filter: "tagway.*.gw.*", subject: "tagway.hq.gw.arrived"))
        #expect(!JetStreamSubject.matches(filter: "tagway.*", subject: "tagway.hq.gw"))
        #expect(!JetStreamSubject.matches(filter: "other.>", subject: "tagway.hq"))
    }

    @Test func coverage() {
        let template = JetStreamSubject.defaultTemplate
        #expect(JetStreamSubject.covered(template: template, site: "hq", by: ["tagway.>"]))
        #expect(JetStreamSubject.covered(template: template, site: "hq", by: ["x.>", "tagway.hq.>"]))
        #expect(JetStreamSubject.covered(template: template, site: "hq", by: ["tagway.hq.*.*"]))
        #expect(!JetStreamSubject.covered(template: template, site: "hq", by: ["tagway.other.>"]))
        #expect(!JetStreamSubject.covered(template: template, site: "hq", by: ["tagway.hq.dock-east.*"]),
                "one gateway's filter does not take every gateway value")
        #expect(!JetStreamSubject.covered(template: template, site: "hq", by: []))
        #expect(JetStreamSubject.covered(template: template, site: nil, by: ["tagway.>"]))
        #expect(!JetStreamSubject.covered(template: template, site: nil, by: ["tagway.hq.>"]), "the site is not known yet")
    }

    @Test func defaultFilters() {
        #expect(JetStreamSubject.defaultFilter(for: JetStreamSubject.defaultTemplate) == "tagway.>")
        #expect(JetStreamSubject.defaultFilter(for: "a.b.{gateway}") == "a.b.>")
        #expect(JetStreamSubject.defaultFilter(for: "{site}.events") == nil)
    }
}
