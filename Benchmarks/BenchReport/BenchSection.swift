import Foundation

/// Which benchmark a command line asks for: its first argument, when that is not an option
/// (`all` when there is none). `--help` prints `usage` and exits 0; a word that names no section
/// prints it and exits 2. `--help` used to mean "no section given", so `all`: a ten-minute run,
/// with a gateway started, for whoever asked how to use the tool; a mistyped section ran nothing
/// and said nothing.
public enum BenchSection {
    public static func chosen(_ arguments: [String], sections: [String], hidden: [String] = [], usage: String) -> String {
        if arguments.contains("--help") || arguments.contains("-h") {
            print(usage)
            exit(0)
        }
        guard let first = arguments.first, !first.hasPrefix("-") else { return "all" }
        guard sections.contains(first) || hidden.contains(first) || first == "all" else {
            FileHandle.standardError.write(Data("unknown benchmark '\(first)': one of \((sections + ["all"]).joined(separator: ", "))\n\n\(usage)\n".utf8))
            exit(2)
        }
        return first
    }
}
