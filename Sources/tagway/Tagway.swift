import ArgumentParser

@main
struct Tagway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tagway",
        abstract: "RFID and barcode reader gateway: readers in, movement events out.",
        discussion: "Start with `tagway demo`: simulated readers on pseudo-terminals, no hardware needed.",
        version: "0.1.0",
        subcommands: [
            RunCommand.self, DemoCommand.self, SimulateCommand.self, EventsCommand.self, CheckConfigCommand.self,
            IdentifyCommand.self, ProfilesCommand.self, DevicesCommand.self, StatusCommand.self, UdevRulesCommand.self,
            AssetsCommand.self, AuditCommand.self, ReplayCommand.self, SiteCommand.self,
        ]
    )
}
