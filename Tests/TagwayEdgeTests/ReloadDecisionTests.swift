import Foundation
import TagwayTestSupport
import Testing
import TagwayConfig
import TagwayGateway

/// What a reload applies and what it leaves for a restart (issue 12): the `logging:` key, the
/// sink diff by id, and the settings named as needing a restart. Pure decisions on parsed files.
@Suite struct ReloadDecisionTests {
    static let base = """
        gateway: { id: dock-east, dataDir: /var/lib/tagway }
        readers:
          - { id: door3-uhf, profile: magicrf/m100, port: /dev/ttyUSB0, antennas: { 1: door3-in, 2: door3-out } }
          - { id: desk, profile: id-innovations/id-12la, port: /dev/ttyACM0, readPoint: helpdesk }
        sinks:
          - { id: itam, webhook: { url: "http://127.0.0.1:9000/hook" } }
          - { id: bus, webhook: { url: "http://127.0.0.1:9001/hook" } }
        api: { listen: "127.0.0.1:8080" }
        """

    func load(_ yaml: String) throws -> GatewayConfig {
        try GatewayConfigLoader.parse(yaml, file: "/etc/tagway/gateway.yaml", devicesDir: TestPaths.repositoryDevices)
    }

    @Test func loggingLevelIsReadAndAWrongOneIsLocated() throws {
        #expect(try load(Self.base).logging == nil)
        #expect(try load(Self.base + "\nlogging: { level: debug }").logging == LoggingConfig(level: "debug"))
        do {
            _ = try load(Self.base + "\nlogging: { level: verbose }")
            Issue.record("an unknown level was accepted")
        } catch let error as ConfigErrors {
            #expect(error.errors.map(\.description) == [
                "/etc/tagway/gateway.yaml:9:19: logging.level: unknown log level 'verbose'; expected trace, debug, info, notice, warning, error, critical",
            ])
        }
        do {
            _ = try load(Self.base + "\nlogging: { levle: debug }")
            Issue.record("an unknown key was accepted")
        } catch let error as ConfigErrors {
            #expect(error.errors.first?.description.contains("levle") == true, "\(error)")
        }
    }

    @Test func theSinkPlanDiffsByID() throws {
        let running = try load(Self.base).sinks
        let loaded = try load(Self.base
            .replacingOccurrences(of: "  - { id: itam, webhook: { url: \"http://127.0.0.1:9000/hook\" } }\n", with: "")
            .replacingOccurrences(of: "9001", with: "9002")
            .replacingOccurrences(of: "api:", with: "  - { id: epcis, webhook: { url: \"http://127.0.0.1:9003/capture\" } }\napi:")).sinks
        let plan = SinkReloadPlan(running: running, loaded: loaded)
        #expect(plan.order == ["bus", "epcis"])
        #expect(plan.added == ["epcis"])
        #expect(plan.removed == ["itam"])
        #expect(plan.changed == ["bus"])
        #expect(plan.summary == "added epcis; removed itam; changed bus")
        let same = SinkReloadPlan(running: running, loaded: running)
        #expect(same.isEmpty && same.starting.isEmpty && same.summary == "unchanged")
    }

    @Test func settingsThatNeedARestartAreNamedAndLiveOnesAreNot() throws {
        let running = try load(Self.base)
        // Live: sinks, retention, logging, movement; a reader moved down a line is the same reader.
        let live = try load("# a comment moves every line\n" + Self.base
            .replacingOccurrences(of: "9001", with: "9009")
            + "\nretention: { maxEvents: 100 }\nlogging: { level: warning }\nmovement: { threshold: 9 }")
        #expect(RestartSettings.changed(running: running, loaded: live) == [])
        // New zones are live too: the movement engine, /v1/zones and the audit all take them.
        let zoned = try load(Self.base + "\nzones:\n  - { id: dock-3, door: { inside: [door3-in], outside: [door3-out] } }")
        #expect(RestartSettings.changed(running: running, loaded: zoned) == [])

        let restart = try load(Self.base
            .replacingOccurrences(of: "/var/lib/tagway", with: "/srv/tagway")
            .replacingOccurrences(of: "/dev/ttyACM0", with: "/dev/ttyACM1")
            .replacingOccurrences(of: "8080", with: "8081")
            + "\ndebounce: { departAfter: 20s }")
        #expect(RestartSettings.changed(running: running, loaded: restart)
                == ["gateway.dataDir", "debounce", "readers[desk]", "api.listen"])

        let readers = try load(Self.base
            .replacingOccurrences(of: "  - { id: desk, profile: id-innovations/id-12la, port: /dev/ttyACM0, readPoint: helpdesk }\n",
                                  with: "  - { id: badge, profile: id-innovations/id-12la, port: /dev/ttyACM0, readPoint: helpdesk }\n")
            .replacingOccurrences(of: "api: { listen: \"127.0.0.1:8080\" }", with: ""))
        #expect(RestartSettings.changed(running: running, loaded: readers) == ["readers[desk]", "readers[badge]", "api"])
    }

    @Test func theRestartNoticeHoldsTheLatestList() {
        let notice = RestartNotice()
        #expect(notice.reasons.isEmpty)
        notice.set(["gateway.dataDir", "readers[desk]"])
        #expect(notice.reasons == ["gateway.dataDir", "readers[desk]"])
        notice.set([])
        #expect(notice.reasons.isEmpty)
    }
}
