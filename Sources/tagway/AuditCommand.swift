import ArgumentParser
import Foundation
import TagwayAudit
import TagwayConfig
import TagwayEventLog
import TagwayGateway
import TagwayModel
import TagwayRuntime

/// `tagway audit`: an asset store's expected list (CSV or JSON) against the asset state in the
/// event log, per zone: found, missing, misplaced, unexpected. Reads the log like `tagway
/// events` does, so it works while the gateway runs and when it is stopped; it never writes.
///
/// Exit codes: 0 the report was printed; 2 bad input (the list, the options, the
/// configuration, no log in the data directory), every problem on stderr; 3 the log cannot be read.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Compare an expected-asset list (CSV or JSON) with where the gateway sees assets.")

    /// Bytes of a list file the command reads (it is read whole, once).
    static let maxFileBytes = 1 << 30

    @Option(help: "The expected list: CSV with a header (asset_key/key/asset_tag/Asset Tag, zone/expected_zone/location/Location) or JSON.")
    var expected: String

    @Option(help: "Only this zone (id or alias).")
    var zone: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    /// With `--config`, zones, `audit.locations` and `audit.freshness` come from the configuration.
    @OptionGroup var gateway: GatewayDataOptions

    func run() throws {
        let resolved: (directory: String, config: GatewayConfig?)
        do { resolved = try gateway.resolve() } catch { Self.fail(error.description) }
        let settings = resolved.config?.audit ?? AuditSettings(checksZones: false)
        let directory = resolved.directory
        var filter: String?
        if let zone {
            guard let id = settings.zoneID(zone) else {
                Self.fail("--zone \(zone): not a zone of \(gateway.config ?? "the configuration"); zones: \(settings.zones.sorted().joined(separator: ", "))")
            }
            filter = id
        }
        let data = Self.read(expected)
        let format: ExpectedAssetList.Format? = switch (expected as NSString).pathExtension.lowercased() {
        case "json": .json
        case "csv": .csv
        default: nil
        }
        let source = (expected as NSString).lastPathComponent
        let parsed = data.withUnsafeBytes { raw in
            Result { () throws(ExpectedListErrors) in try ExpectedAssetList.parse(raw, source: source, format: format, settings: settings) }
        }
        let list: ExpectedAssetList
        switch parsed {
        case .success(let value): list = value
        case .failure(let errors): Self.fail(errors.description)
        }
        let snapshot: AssetSnapshot
        do {
            snapshot = try EventLog.openExisting(directory: directory).assetStates()
        } catch {
            if case .notALog = error { Self.fail(error.description) }
            Self.fail(error.description, code: 3)
        }
        let report = Audit.compare(expected: list, found: snapshot.records, zones: settings.zones, freshness: settings.freshness,
                                   now: SystemClock.now(), zone: filter, lastSeq: snapshot.lastSeq)
        print(json ? report.json : report.table, terminator: json ? "\n" : "")
    }

    /// The list file's bytes, read once; a missing, unreadable or oversized file is bad input.
    static func read(_ path: String) -> Data {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int else {
            fail("\(path): cannot read the expected list (no such file, or no permission)")
        }
        guard size <= maxFileBytes else { fail("\(path): \(size) bytes; an expected list may have at most \(maxFileBytes) bytes (split it by zone or location)") }
        guard let data = FileManager.default.contents(atPath: path) else { fail("\(path): cannot read the expected list") }
        return data
    }

    static func fail(_ message: String, code: Int32 = 2) -> Never {
        FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
        Foundation.exit(code)
    }
}
