import ArgumentParser
import Foundation
import TagwayControl
import TagwayEventLog
import TagwayModel

struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Read the event log.", subcommands: [List.self, Tail.self])

    struct LogOptions: ParsableArguments {
        @Option(help: "The gateway's data directory (gateway.dataDir in its configuration).")
        var dataDir: String

        @Flag(help: "One JSON object per line, with the event contract's fields.")
        var json = false

        @Option(help: "Only events with a seq greater than this.")
        var after: Int64 = 0

        func open() throws -> EventLog {
            do {
                return try EventLog.openExisting(directory: dataDir)
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
        }

        func show(_ event: MovementEvent) {
            print(json ? event.json : EventPrinter.line(event))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print logged events, oldest first.")

        @OptionGroup var options: LogOptions

        @Option(help: "At most this many events.")
        var limit: Int = 1000

        func run() throws {
            guard limit >= 0 else { throw ValidationError("--limit must not be negative") }
            let log = try options.open()
            var after = options.after
            var remaining = limit
            while remaining > 0 {
                let page = try log.events(after: after, limit: min(remaining, 5000))
                page.forEach(options.show)
                guard let last = page.last?.seq else { break }
                after = last
                remaining -= page.count
            }
        }
    }

    struct Tail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print events as they are logged (by this or a running gateway) until interrupted.")

        @OptionGroup var options: LogOptions

        @Option(help: "Print this many of the latest events first.")
        var last: Int = 10

        func run() async throws {
            let log = try options.open()
            var after = options.after
            if after == 0 { after = max(0, try log.lastSeq() - Int64(max(0, last))) }
            let watcher = try FileChangeWatcher(directory: options.dataDir, events: [.modified, .created])
            let stop = SignalWatcher { _ in watcher.stop() }
            defer { stop.cancel() }
            var changes = watcher.changes.makeAsyncIterator()
            repeat {
                while true {
                    let page = try log.events(after: after, limit: 1000)
                    page.forEach(options.show)
                    fflush(nil)
                    guard let seq = page.last?.seq else { break }
                    after = seq
                }
            } while await changes.next() != nil
        }
    }
}
