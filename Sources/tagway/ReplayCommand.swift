import ArgumentParser
import Foundation
import Logging
import TagwayCapture
import TagwayConfig
import TagwayFilters
import TagwayGateway
import TagwayModel

/// `tagway replay`: what a configuration would have made of captured traffic, without readers.
///
/// Exit codes: 0 replayed; 2 the configuration, a capture or an argument is wrong (the message
/// names the file and line, or the reader); 3 the event log could not be written.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run the whole pipeline offline on captures, on their clock, and print the events it makes.",
        discussion: """
            Each capture's header names its reader; the reader of that id in the configuration gives the read \
            points, zones, rules, profile and settings. The output is the same on every run of the same inputs, \
            so a zone or rule change can be tried on recorded traffic and compared with diff. A summary goes to \
            standard error.
            """)

    @Option(name: .shortAndLong, help: "The gateway configuration (YAML) to replay the captures against.")
    var config: String

    @Argument(help: "Capture files (tagway run --capture). Records are merged by time.")
    var captures: [String]

    @Option(help: "Device profile directory (default: the one shipped with Tagway).")
    var devices: String?

    @Option(name: .customLong("map"), help: ArgumentHelp(
        "Replay a capture as another configured reader: CAPTURED=CONFIGURED (repeatable).", valueName: "CAPTURED=CONFIGURED"))
    var mappings: [String] = []

    @Option(help: ArgumentHelp(
        "Where the capture's clock stops: drain (default: past the last record until every tag present has departed), end (at the last record), or an RFC 3339 time (later records are not replayed).",
        valueName: "drain|end|TIME"))
    var until = "drain"

    @Option(help: "Events as JSON lines (as tagway run --print-events prints them) or a readable table.")
    var format: Format = .json

    @Option(help: ArgumentHelp("Keep the event log in this directory (it must hold no events yet); default: a temporary one, removed.",
                               valueName: "DIR"))
    var log: String?

    @Option(help: "Log level of the gateway's own messages on standard error.")
    var logLevel: String = "warning"

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, table
    }

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("unknown log level '\(logLevel)'; use trace, debug, info, notice, warning, error or critical")
        }
        guard let end = ReplayEnd(until) else {
            throw ValidationError("--until '\(until)': expected drain, end, or a time such as 2026-12-01T18:00:00.000Z")
        }
        var logger = Logger(label: "tagway") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = level
        let loaded: GatewayConfig
        let text: Data
        do {
            text = try Data(contentsOf: URL(fileURLWithPath: config))
            loaded = try GatewayConfigLoader.load(file: config, devicesDir: devices)
        } catch {
            Self.fail("\(error)")
            throw ExitCode(2)
        }
        var options = ReplayOptions(captures: captures)
        options.until = end
        options.logDirectory = log
        var digest = CaptureFileReader.digestBasis
        CaptureFileReader.fnv1a(text, into: &digest)
        options.configDigest = digest
        for mapping in mappings {
            let parts = mapping.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                Self.fail("\(ReplayError.badMapping(mapping))")
                throw ExitCode(2)
            }
            options.readerMap[parts[0]] = parts[1]
        }
        let table = format == .table
        let summary: ReplaySummary
        do throws(ReplayError) {
            summary = try await Replay.run(config: loaded, options: options, logger: logger) { event in
                print(table ? EventPrinter.line(event) : event.json)
            }
        } catch {
            fflush(nil)
            Self.fail("\(error)")
            switch error {
            case .log, .unwritten, .logNotEmpty: throw ExitCode(3)
            default: throw ExitCode(2)
            }
        }
        fflush(nil)
        FileHandle.standardError.write(Data(Self.describe(summary, keptLog: log != nil).utf8))
    }

    static func fail(_ message: String) {
        FileHandle.standardError.write(Data("tagway replay: \(message)\n".utf8))
    }

    /// The summary: what was read and decoded, what came out, how far the clock went, how fast.
    static func describe(_ s: ReplaySummary, keptLog: Bool) -> String {
        let t = s.tally
        var out = "replay: \(s.captures) capture\(s.captures == 1 ? "" : "s"), \(t.records) records"
        out += " (\(t.sent) sent by the gateway, not replayed\(t.ignored > 0 ? "; \(t.ignored) ignored" : ""))\n"
        out += "  decoded: \(t.frames) frames, \(t.reads) reads; decode drops: \(t.dropEvents) (\(t.bytesDropped) bytes)"
        if t.scanProblems > 0 { out += ", scan problems: \(t.scanProblems)" }
        if t.conversationProblems > 0 { out += ", conversation problems: \(t.conversationProblems)" }
        out += "\n"
        if s.filtered.totalDropped > 0 {
            let reasons = FilterDropReason.allCases.filter { s.filtered[$0] > 0 }.map { "\($0.rawValue) \(s.filtered[$0])" }
            out += "  filtered: \(s.filtered.totalDropped) reads (\(reasons.joined(separator: ", ")))\n"
        }
        let types = EventType.allCases.compactMap { type in s.eventsByType[type].map { "\(type.rawValue) \($0)" } }
        out += "  events: \(s.events)\(types.isEmpty ? "" : " (" + types.joined(separator: ", ") + ")")\n"
        if let first = s.firstRecord, let last = s.lastRecord {
            out += "  capture time: \(first.iso8601) to \(last.iso8601) (\(seconds(s.captureSpan)))\n"
        } else {
            out += "  capture time: no records\n"
        }
        if let stopped = s.stoppedAt { out += "  stopped \(stopped.iso8601), \(s.stopReason)\n" }
        out += "  wall time: \(seconds(s.wall))"
        if let speed = s.speed { out += ", \(String(format: "%.1f", speed))× real time" }
        out += "\n"
        if keptLog { out += "  event log: \(s.logPath)\n" }
        for notice in t.notices.prefix(10) { out += "  reader notice: \(notice)\n" }
        return out
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.3f s", ReplaySummary.seconds(duration))
    }
}
