import Foundation
import Testing
@testable import TagwayAudit

/// The zones and Snipe-IT locations every parsing test uses.
enum AuditFixtures {
    static let settings = AuditSettings(
        zones: ["it-storage", "helpdesk", "dock-3"],
        aliases: ["room-2.14": "it-storage"],
        locations: ["HQ Storage Room 2": "it-storage", "Helpdesk, 1st floor": "helpdesk"])

    static func bytes(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return Array(try Data(contentsOf: url))
    }

    static func parse(_ text: String, source: String = "list.csv", settings: AuditSettings = settings) throws(ExpectedListErrors) -> ExpectedAssetList {
        try ExpectedAssetList.parse(Array(text.utf8), source: source, settings: settings)
    }

    /// The errors a list is refused with (an issue is recorded when it is accepted).
    static func refusal(_ bytes: [UInt8], source: String = "list.csv", settings: AuditSettings = settings,
                        sourceLocation: SourceLocation = #_sourceLocation) -> ExpectedListErrors {
        do {
            let list = try ExpectedAssetList.parse(bytes, source: source, settings: settings)
            Issue.record("accepted: \(list.entries)", sourceLocation: sourceLocation)
            return ExpectedListErrors([])
        } catch {
            return error
        }
    }

    static func refusal(_ text: String, settings: AuditSettings = settings,
                        sourceLocation: SourceLocation = #_sourceLocation) -> ExpectedListErrors {
        refusal(Array(text.utf8), settings: settings, sourceLocation: sourceLocation)
    }
}
